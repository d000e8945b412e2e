"""Expressions SQL du rang d'une réunion (« 2026 – réunion 2 ») : la fenêtre, la part
d'une réunion annulée, l'année locale bornée. `ReunionQuerySet.avec_rang` les assemble ;
écrites d'un bloc, parce que les rangs sont lus sur chaque page qui montre un titre de
réunion et que leur construction par l'ORM coûtait plus que la requête."""

import datetime

from django.db import models
from django.db.models import F
from django.db.models.functions import ExtractYear


class RangFenetre(models.Func):
    """Le rang d'une réunion tiré de la fenêtre (somme des réunions qui comptent) et de
    `Tenue` de la ligne : fenêtre + 1 − tenue (une annulée prend le rang qu'elle aurait
    eu). Django placerait l'expression composée dans le GROUP BY d'une requête agrégée
    (Count…), ce que SQLite refuse : on n'y met que ce dont ses parties dépendent."""

    arg_joiner = " + 1 - "
    template = "(%(expressions)s)"
    contains_over_clause = True
    output_field = models.IntegerField()

    def get_group_by_cols(self):
        return [col for e in self.get_source_expressions() for col in e.get_group_by_cols()]


class Tenue(models.Func):
    """1 pour une réunion qui compte, 0 pour une annulée. Écrit d'un bloc : les rangs sont
    lus sur chaque page qui montre un titre de réunion, et un Case(When(…)) répété trois
    fois coûtait, à résoudre et à compiler, plus que la requête."""

    template = "CASE WHEN %(expressions)s = %%s THEN 0 ELSE 1 END"
    output_field = models.IntegerField()

    def __init__(self, statut, *, annulee: str):
        super().__init__(statut)
        self.annulee = annulee

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, self.annulee)


#: Bornes de la date d'une réunion pour en tirer l'année locale : une date aux limites du
#: calendrier déjà en base (31/12/9999 23 h en temps universel, le 01/01/10000 à Paris)
#: ferait échouer la conversion sur SQLite (« string or blob too big ») ; bornée à un
#: jour des limites, elle garde son année, et son ordre (`date`) ne change pas.
_ANNEE_MIN = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
_ANNEE_MAX = datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)


class DateBornee(models.Func):
    """La date ramenée entre `_ANNEE_MIN` et `_ANNEE_MAX` (GREATEST(LEAST(…)), MAX(MIN(…))
    sous SQLite) ; les bornes écrites en paramètres : deux Value de date à résoudre et
    à convertir à chaque lecture coûtaient autant que le reste du rang."""

    template = "GREATEST(LEAST(%(expressions)s, %%s), %%s)"
    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        bornes = [connection.ops.adapt_datetimefield_value(d) for d in (_ANNEE_MAX, _ANNEE_MIN)]
        return sql, (*params, *bornes)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "MAX(MIN(%(expressions)s, %%s), %%s)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def annee_locale(field: str):
    """L'année, à l'heure locale, de la date `field`, sans débordement aux limites."""
    return ExtractYear(DateBornee(F(field)))

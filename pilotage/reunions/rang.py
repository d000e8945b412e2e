"""Expressions SQL du rang d'une réunion (« 2026 – réunion 2 ») : le décompte des
réunions qui comptent (`SommeTenues`), l'année locale bornée. `ReunionQuerySet.avec_rang`
les assemble ; écrites d'un bloc, parce que les rangs sont lus sur chaque page qui montre
un titre de réunion et que leur construction par l'ORM coûtait plus que la requête."""

import datetime

from django.db import models
from django.db.models import F
from django.db.models.functions import ExtractYear

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


class SommeTenues(models.Func):
    """Le décompte des réunions qui comptent (les annulées non), dans l'ordre (date, pk),
    sur les réunions du contrat : `SUM(tenue) OVER (PARTITION BY contrat ORDER BY date,
    pk)`, le numéro dans le contrat. `par_annee` : la fenêtre porte sur l'année locale et
    le rang d'une annulée est celui qu'elle aurait eu (fenêtre + 1 − tenue de la ligne).

    Écrit d'un bloc sur les colonnes (statut, date, pk, contrat, année) : les rangs sont
    lus sur chaque page qui montre un titre de réunion, et la fenêtre de Django autour de
    « la réunion compte », répétée trois fois, coûtait à résoudre, à comparer (ordre de
    la requête) et à compiler plus que la requête. Django placerait l'expression dans le
    GROUP BY d'une requête agrégée (Count…), ce que SQLite refuse : on n'y met que les
    colonnes dont elle dépend."""

    contains_over_clause = True
    output_field = models.IntegerField()

    def __init__(self, *, annulee: str, par_annee: bool):
        partition = [F("contrat_id"), annee_locale("date")] if par_annee else [F("contrat_id")]
        super().__init__(F("statut"), F("date"), F("pk"), *partition)
        self.annulee, self.par_annee = annulee, par_annee

    def as_sql(self, compiler, connection, **extra_context):
        partition, params = [], []
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        (statut, _), (date, _), (pk, _) = compiled[:3]  # des colonnes : sans paramètre
        for sql, sql_params in compiled[3:]:
            partition.append(sql)
            params.extend(sql_params)
        tenue = f"CASE WHEN {statut} = %s THEN 0 ELSE 1 END"
        sql = (
            f"SUM({tenue}) OVER (PARTITION BY {', '.join(partition)} ORDER BY {date} ASC, {pk} ASC)"
        )
        if self.par_annee:
            return f"({sql} + 1 - {tenue})", (self.annulee, *params, self.annulee)
        return sql, (self.annulee, *params)

    def get_group_by_cols(self):
        return [col for e in self.get_source_expressions() for col in e.get_group_by_cols()]

"""Classement des résultats par pertinence, borné quelle que soit la taille de l'index.

Calculer la pertinence de chaque élément trouvé coûte trop quand un mot courant en
trouve des dizaines de milliers (bm25 ou ts_rank_cd par ligne : plusieurs centaines de
millisecondes sur 50 000 éléments, bench/bench_recherche.py). Pour chaque sorte, on prend
donc les candidats — trouvés, visibles de l'utilisateur et filtrés, tout dans la clause
WHERE — du plus récent au plus ancien, au plus `CANDIDATS` + 1 (le dernier dit seulement
qu'il y en a davantage) ; la pertinence n'est calculée que sur eux. Tant qu'une sorte
compte au plus `CANDIDATS` résultats (une question précise), le classement est exact ;
au-delà, il range les `CANDIDATS` plus récents et la page dit « plus de 200 ».

SQLite : pour chaque sorte, l'index couvrant `recherche_portee` (sorte, date, portée)
est parcouru du plus récent au plus ancien sans lire les lignes (leur texte est long) et
s'arrête au plafond ; l'appartenance à l'ensemble trouvé par FTS5 est un `IN` dont la
table éphémère n'est construite qu'une fois, la sous-requête des candidats étant corrélée
à la liste des sortes. Puis bm25 est calculé par FTS5 sur les seuls candidats (deuxième
requête). PostgreSQL : une requête, index GIN sur `vecteur`, ts_rank_cd (titre de poids
A, texte B) sur les seuls candidats.
"""

import json
from collections.abc import Callable
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import EntreeRecherche
from .racines import racine

CANDIDATS = 200
CONFIG = "fr_unaccent"
FTS = "core_recherche_fts"
# L'ordre même de l'index `recherche_portee` parcouru à rebours (sans NULLS LAST, que
# PostgreSQL ne lirait pas dans l'index) : chaque sorte donne toujours une date.
RECENTS = (F("date").desc(), F("id").desc())


def expression_fts(termes: list[str]) -> str:
    """Chaque racine entre guillemets (une racine n'a que des lettres et chiffres) : aucune
    syntaxe de FTS5 ne passe ; les mots sont tous exigés."""
    return " ".join(f'"{r}"' for r in dict.fromkeys(racine(t) for t in termes))


def variantes(terme: str) -> tuple[str, str]:
    """Le mot et son autre nombre (« crédit » / « crédits »). Le racinisateur français de
    PostgreSQL (snowball) ne ramène pas toujours le singulier et le pluriel à la même
    racine quand l'accent a été ôté avant lui : « credit » donne « cred », « credits »
    donne « credit ». Chercher les deux formes rend la recherche insensible au nombre,
    comme celle de SQLite (`racines.py`)."""
    if len(terme) > 3 and terme.endswith("s"):
        return terme, terme[:-1]
    return terme, f"{terme}s"


def tsquery_postgresql(termes: list[str]) -> tuple[str, list]:
    """(SQL, paramètres) de la question PostgreSQL : tous les mots exigés, chacun sous
    ses deux nombres. Même construction que `searchquery_postgresql`."""
    un = "plainto_tsquery(%s::regconfig, %s)"
    morceaux, params = [], []
    for terme in termes:
        morceaux.append(f"({un} || {un})")
        for forme in variantes(terme):
            params += [CONFIG, forme]
    return " && ".join(morceaux), params


def searchquery_postgresql(termes: list[str]):
    """La même question que `tsquery_postgresql`, en expression de l'ORM (surlignage)."""

    def mot(terme: str):
        un, autre = (SearchQuery(f, config=CONFIG, search_type="plain") for f in variantes(terme))
        return un | autre

    return reduce(lambda a, b: a & b, (mot(t) for t in termes))


def _sql(qs: QuerySet) -> tuple[str, list] | None:
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # rien de visible
        return None
    return sql, list(params)


def _sqlite(visibilites: dict[str, Q], filtrer: Callable, termes: list[str]) -> dict:
    match = expression_fts(termes)
    corps = _sql(
        filtrer(EntreeRecherche.objects.all())
        .filter(RawSQL('"core_entreerecherche"."sorte" = sortes.nom', [], BooleanField()))
        .filter(
            RawSQL(
                f'+"core_entreerecherche"."id" IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)',
                [match],
                BooleanField(),
            )
        )
        .filter(reduce(or_, (Q(sorte=nom) & q for nom, q in visibilites.items())))
        .order_by(*RECENTS)
        .values_list("id")[: CANDIDATS + 1]
    )
    if corps is None:
        return {}
    sql, params = corps
    valeurs = ", ".join(["(%s)"] * len(visibilites))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH sortes(nom) AS (VALUES {valeurs}) "
            f"SELECT nom, (SELECT json_group_array(id) FROM ({sql})) FROM sortes",
            [*visibilites, *params],
        )
        candidats = {nom: json.loads(ids) for nom, ids in cursor.fetchall()}
        tous = [pk for pks in candidats.values() for pk in pks]
        if not tous:
            return {}
        # bm25 demandé par la fonction et non par `ORDER BY rank` : FTS5 trierait alors
        # lui-même tout l'ensemble trouvé, en calculant bm25 sur chaque ligne.
        cursor.execute(
            f"SELECT rowid, bm25({FTS}) FROM {FTS} WHERE {FTS} MATCH %s "
            "AND +rowid IN (SELECT value FROM json_each(%s))",
            [match, json.dumps(tous)],
        )
        rangs = dict(cursor.fetchall())
    # Du plus pertinent (bm25 le plus bas) au moins pertinent ; le tri est stable : à
    # pertinence égale, l'ordre des candidats (le plus récent d'abord) reste.
    return {nom: sorted(pks, key=rangs.__getitem__) for nom, pks in candidats.items() if pks}


def _postgresql(visibilites: dict[str, Q], filtrer: Callable, termes: list[str]) -> dict:
    tsquery, question = tsquery_postgresql(termes)
    trouve = RawSQL(f'"core_entreerecherche"."vecteur" @@ ({tsquery})', question, BooleanField())
    # Pertinence dans la liste des colonnes : calculée sur les lignes que rend la tranche
    # (après LIMIT), sans relire la table.
    rang = RawSQL(
        f'ts_rank_cd("core_entreerecherche"."vecteur", ({tsquery}))', question, FloatField()
    )
    morceaux, params = [], []
    for numero, (nom, visible) in enumerate(visibilites.items()):
        qs = filtrer(EntreeRecherche.objects.filter(sorte=nom)).filter(trouve).filter(visible)
        tranche = _sql(
            qs.annotate(rang=rang)
            .order_by(*RECENTS)
            .values_list("id", "sorte", "date", "rang")[: CANDIDATS + 1]
        )
        if tranche is not None:
            morceaux.append(f"SELECT * FROM ({tranche[0]}) AS c{numero}")
            params += tranche[1]
    if not morceaux:
        return {}
    classes: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.sorte FROM ({' UNION ALL '.join(morceaux)}) AS c "
            "ORDER BY c.sorte, c.rang DESC, c.date DESC, c.id DESC",
            params,
        )
        for pk, nom in cursor.fetchall():
            classes.setdefault(nom, []).append(pk)
    return classes


def classer(visibilites: dict[str, Q], filtrer: Callable, termes: list[str]) -> dict:
    """Par sorte, les identifiants des candidats du plus pertinent au moins pertinent
    (puis du plus récent), au plus `CANDIDATS` + 1. `visibilites` : pour chaque sorte
    cherchée, ce que l'utilisateur en voit (un `Q` sur l'index) ; `filtrer` pose les
    filtres de la page sur un QuerySet de l'index."""
    if not visibilites:
        return {}
    if connection.vendor == "postgresql":
        return _postgresql(visibilites, filtrer, termes)
    return _sqlite(visibilites, filtrer, termes)

"""La recherche : une requête par sorte, visibilité et filtres dans la clause WHERE.

`search(user, q, ...)` rend les résultats rangés par sorte avec leurs nombres. La
question est bornée (200 caractères, 12 mots) et réduite à ses mots : aucun caractère de
syntaxe (guillemets, `*`, `NEAR(`, `-`, parenthèses) n'atteint le moteur.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from .models import EntreeRecherche
from .racines import mots, racine
from .registre import SORTES
from .surlignage import DEBUT, FIN, depuis_marques, passage

QUESTION_MAX = 200
MOTS_MAX = 12
PAR_GROUPE = 5
PAR_PAGE = 20
PAGES_MAX = 50
CONFIG = "fr_unaccent"


@dataclass
class Resultat:
    titre: str
    url: str
    passage: SafeString
    date: datetime.date | None


@dataclass
class Groupe:
    sorte: str
    libelle: str
    nombre: int
    resultats: list[Resultat] = field(default_factory=list)


@dataclass
class Recherche:
    question: str
    groupes: list[Groupe]
    total: int
    page: int = 1
    pages: int = 1


@dataclass(frozen=True)
class Filtres:
    sorte: str = ""
    contrat: int | None = None
    objectif: int | None = None
    espace: int | None = None
    depuis: datetime.date | None = None
    jusqu_a: datetime.date | None = None


def question_mots(q: str) -> list[str]:
    return mots((q or "")[:QUESTION_MAX])[:MOTS_MAX]


def visibles(user):
    """Les lignes de l'index que l'utilisateur peut voir (une condition par sorte)."""
    if not user.is_authenticated or not user.is_active:
        return EntreeRecherche.objects.none()
    condition = Q(pk__in=[])
    for sorte in SORTES.values():
        condition |= Q(sorte=sorte.nom) & sorte.visible(user)
    return EntreeRecherche.objects.filter(condition)


def _filtrees(qs, filtres: Filtres):
    if filtres.sorte:
        qs = qs.filter(sorte=filtres.sorte)
    if filtres.contrat:
        qs = qs.filter(contrat_id=filtres.contrat)
    if filtres.objectif:
        qs = qs.filter(objectifs__contains=f"|{filtres.objectif}|")
    if filtres.espace:
        qs = qs.filter(espace_id=filtres.espace)
    if filtres.depuis:
        qs = qs.filter(date__gte=filtres.depuis)
    if filtres.jusqu_a:
        qs = qs.filter(date__lte=filtres.jusqu_a)
    return qs


def _correspondantes(qs, termes: list[str]):
    """Filtre et rang selon la base ; le passage est annoté sur PostgreSQL."""
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(termes), config=CONFIG, search_type="plain")
        vecteur = RawSQL("core_entreerecherche.vecteur", [])
        return qs.filter(
            RawSQL(
                "core_entreerecherche.vecteur @@ plainto_tsquery(%s::regconfig, %s)",
                [CONFIG, " ".join(termes)],
                output_field=BooleanField(),
            )
        ).annotate(
            rang=SearchRank(vecteur, query),
            extrait=SearchHeadline(
                "texte",
                query,
                config=CONFIG,
                start_sel=DEBUT,
                stop_sel=FIN,
                max_words=40,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
    # FTS5 : chaque racine entre guillemets (une racine n'a que des lettres et chiffres).
    match = " ".join(f'"{r}"' for r in dict.fromkeys(racine(t) for t in termes))
    sql = "SELECT rowid FROM core_recherche_fts WHERE core_recherche_fts MATCH %s"
    # Pas de bm25 par ligne (une sous-requête MATCH par résultat : plusieurs secondes sur
    # un mot fréquent, bench/bench_recherche.py) : les plus récents d'abord.
    return qs.filter(
        RawSQL(f"core_entreerecherche.id IN ({sql})", [match], output_field=BooleanField())
    ).annotate(rang=Value(0.0, output_field=FloatField()))


def _resultat(entree, cherchees: set[str]) -> Resultat:
    extrait = getattr(entree, "extrait", None)
    texte = depuis_marques(extrait) if extrait is not None else passage(entree.texte, cherchees)
    return Resultat(titre=entree.titre, url=entree.url, passage=texte, date=entree.date)


def search(user, q: str, filtres: Filtres = Filtres(), page: int = 1) -> Recherche:
    """Résultats rangés par sorte. Sans sorte choisie, les premiers de chaque sorte ; une
    sorte choisie, paginée (20 par page, 50 pages au plus)."""
    termes = question_mots(q)
    if not termes:
        return Recherche(question=q, groupes=[], total=0)
    qs = _correspondantes(_filtrees(visibles(user), filtres), termes)
    nombres = dict(
        qs.order_by().values_list("sorte").annotate(n=Count("id")).values_list("sorte", "n")
    )
    cherchees = {racine(t) for t in termes}
    ordre = qs.order_by(F("rang").desc(nulls_last=True), "-date", "pk")
    groupes, pages = [], 1
    page = max(1, min(page, PAGES_MAX))
    for sorte in SORTES.values():
        nombre = nombres.get(sorte.nom, 0)
        if not nombre:
            continue
        if filtres.sorte:
            pages = min(PAGES_MAX, (nombre + PAR_PAGE - 1) // PAR_PAGE)
            page = min(page, pages)
            tranche = slice((page - 1) * PAR_PAGE, page * PAR_PAGE)
        else:
            tranche = slice(0, PAR_GROUPE)
        entrees = ordre.filter(sorte=sorte.nom)[tranche]
        groupes.append(
            Groupe(
                sorte=sorte.nom,
                libelle=sorte.libelle,
                nombre=nombre,
                resultats=[_resultat(e, cherchees) for e in entrees],
            )
        )
    return Recherche(
        question=q,
        groupes=groupes,
        total=sum(nombres.values()),
        page=page,
        pages=pages,
    )

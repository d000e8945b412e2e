"""La recherche : visibilité et filtres dans la clause WHERE, classement par pertinence.

`search(user, q, ...)` rend les résultats rangés par sorte avec leurs nombres
(`classement.py` : une requête pour toutes les sortes ; puis les lignes montrées). La
question est bornée (200 caractères, 12 mots) et réduite à ses mots : aucun caractère de
syntaxe (guillemets, `*`, `NEAR(`, `-`, parenthèses) n'atteint le moteur.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.utils.safestring import SafeString

from .classement import CANDIDATS, CONFIG, classer, searchquery_postgresql
from .models import EntreeRecherche
from .racines import mots, racine
from .registre import SORTES
from .surlignage import DEBUT, FIN, depuis_marques, passage

QUESTION_MAX = 200
MOTS_MAX = 12
PAR_GROUPE = 5
PAR_PAGE = 20
PAGES_MAX = CANDIDATS // PAR_PAGE


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
    plus: bool = False  # plus de `nombre` résultats (plafond des candidats)
    resultats: list[Resultat] = field(default_factory=list)


@dataclass
class Recherche:
    question: str
    groupes: list[Groupe]
    total: int
    plus: bool = False
    page: int = 1
    pages: int = 1


@dataclass(frozen=True)
class Filtres:
    sorte: str = ""
    contrat: int | None = None
    objectif: int | None = None
    espace: int | None = None
    rubrique: int | None = None
    depuis: datetime.date | None = None
    jusqu_a: datetime.date | None = None


def question_mots(q: str) -> list[str]:
    return mots((q or "")[:QUESTION_MAX])[:MOTS_MAX]


def _filtrees(qs, filtres: Filtres):
    if filtres.contrat:
        qs = qs.filter(contrat_id=filtres.contrat)
    if filtres.objectif:
        qs = qs.filter(objectifs__contains=f"|{filtres.objectif}|")
    if filtres.espace:
        qs = qs.filter(espace_id=filtres.espace)
    if filtres.rubrique:
        qs = qs.filter(rubrique_id=filtres.rubrique)
    if filtres.depuis:
        qs = qs.filter(date__gte=filtres.depuis)
    if filtres.jusqu_a:
        qs = qs.filter(date__lte=filtres.jusqu_a)
    return qs


def _entrees(pks: list[int], termes: list[str]) -> dict[int, EntreeRecherche]:
    """Les lignes montrées, en une requête ; sur PostgreSQL, avec leur passage surligné."""
    qs = EntreeRecherche.objects.filter(pk__in=pks).only("titre", "texte", "url", "date")
    if connection.vendor == "postgresql":
        query = searchquery_postgresql(termes)
        qs = qs.annotate(
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
            )
        )
    return {e.pk: e for e in qs} if pks else {}


def _resultat(entree, cherchees: set[str]) -> Resultat:
    extrait = getattr(entree, "extrait", None)
    texte = depuis_marques(extrait) if extrait is not None else passage(entree.texte, cherchees)
    return Resultat(titre=entree.titre, url=entree.url, passage=texte, date=entree.date)


def search(user, q: str, filtres: Filtres = Filtres(), page: int = 1) -> Recherche:
    """Résultats rangés par sorte, en deux requêtes (classement, lignes montrées). Sans
    sorte choisie, les premiers de chaque sorte ; une sorte choisie, paginée (20 par page).
    Au-delà de `CANDIDATS` résultats d'une sorte, le nombre dit « plus de »."""
    termes = question_mots(q)
    if not termes or not user.is_authenticated or not user.is_active:
        return Recherche(question=q, groupes=[], total=0)
    visibilites = {
        nom: sorte.visible(user)
        for nom, sorte in SORTES.items()
        if not filtres.sorte or nom == filtres.sorte
    }
    classes = classer(visibilites, lambda qs: _filtrees(qs, filtres), termes)
    page = max(1, min(page, PAGES_MAX))
    groupes, tranches, pages = [], {}, 1
    for sorte in SORTES.values():
        pks = classes.get(sorte.nom)
        if not pks:
            continue
        nombre = min(len(pks), CANDIDATS)
        if filtres.sorte:
            pages = min(PAGES_MAX, (nombre + PAR_PAGE - 1) // PAR_PAGE)
            page = min(page, pages)
            tranches[sorte.nom] = pks[(page - 1) * PAR_PAGE : page * PAR_PAGE]
        else:
            tranches[sorte.nom] = pks[:PAR_GROUPE]
        groupes.append(
            Groupe(
                sorte=sorte.nom,
                libelle=sorte.libelle,
                nombre=nombre,
                plus=len(pks) > CANDIDATS,
            )
        )
    entrees = _entrees([pk for pks in tranches.values() for pk in pks], termes)
    cherchees = {racine(t) for t in termes}
    for groupe in groupes:
        groupe.resultats = [_resultat(entrees[pk], cherchees) for pk in tranches[groupe.sorte]]
    return Recherche(
        question=q,
        groupes=groupes,
        total=sum(g.nombre for g in groupes),
        plus=any(g.plus for g in groupes),
        page=page,
        pages=pages,
    )

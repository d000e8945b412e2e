"""Registre des sortes indexables.

Chaque application inscrit au démarrage (`AppConfig.ready`) ce qu'elle rend cherchable :
un nom, un libellé (« Fiches actions »), le ou les modèles, une fonction qui donne le
`Document` d'un objet (ou None : l'objet n'est pas cherchable, un relevé non validé par
exemple), une fonction qui liste tous les objets (commande `reindexer_recherche`) et la
règle de visibilité, un `Q` sur les lignes de l'index (jamais un filtre après la requête).

Un objet dont le document reprend une part d'un autre (le titre de la fiche dans une
décision, la date de la réunion dans ses notes) est inscrit par son application comme
« lié » à ce modèle (`register_lies`) : réindexer la fiche réindexe aussi ses décisions,
sans que `contrats` connaisse `reunions`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Document:
    titre: str
    texte: str
    url: str
    contrat_id: int | None = None
    departement_id: int | None = None
    region_id: int | None = None
    institution_id: int | None = None
    espace_id: int | None = None
    rubrique_id: int | None = None
    objectifs: Iterable[int] = ()
    date: datetime.date | None = None


@dataclass(frozen=True)
class Sorte:
    nom: str
    libelle: str
    modeles: tuple[str, ...]
    document: Callable[[object], Document | None]
    tous: Callable[[], Iterable]
    visible: Callable[[object], Q]


SORTES: dict[str, Sorte] = {}
# Objets à réindexer avec un autre (les indicateurs et les décisions d'une fiche) :
# libellé du modèle → fonctions(obj), inscrites par les applications qui les connaissent.
LIES: dict[str, list[Callable[[object], Iterable]]] = {}
# Choix des filtres que core ne connaît pas : "contrat", "objectif" → fonction(user).
CHOIX: dict[str, Callable[[object], list[tuple[int, str]]]] = {}
# Sortes auxquelles un filtre s'applique (absent : toutes) ; le formulaire ne le montre
# qu'avec l'une d'elles ou sans sorte choisie (la rubrique : les ressources).
CHOIX_SORTES: dict[str, tuple[str, ...]] = {}


def register(sorte: Sorte) -> Sorte:
    SORTES[sorte.nom] = sorte
    return sorte


def register_lies(modele: str, lies: Callable[[object], Iterable]) -> None:
    """Inscrit des objets à réindexer avec chaque objet de `modele` (« contrats.FicheAction »),
    qu'il soit lui-même cherchable ou non (une réunion)."""
    fonctions = LIES.setdefault(modele, [])
    if lies not in fonctions:  # une seconde inscription (ready rappelé) ne double rien
        fonctions.append(lies)


def register_choix(nom: str, fonction: Callable, sortes: tuple[str, ...] = ()) -> None:
    CHOIX[nom] = fonction
    if sortes:
        CHOIX_SORTES[nom] = sortes


def sorte_de(obj) -> Sorte | None:
    label = obj._meta.label
    for sorte in SORTES.values():
        if label in sorte.modeles:
            return sorte
    return None

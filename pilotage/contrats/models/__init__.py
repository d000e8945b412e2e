"""Modèles de `contrats` : contrat, version signée, signataires, habilitations, fiche action
(`contrat.py`), listes de la fiche (`listes.py`) et invitations (`contrats/invitations.py`).

Tout est réexporté ici : `from pilotage.contrats.models import Jalon` reste l'adresse
de chaque modèle.
"""

from ..invitations import Invitation
from .contrat import (
    Contrat,
    ContratQuerySet,
    Etat,
    FicheAction,
    FicheActionQuerySet,
    Habilitation,
    Signataire,
    VersionSignee,
    ordre_affiche,
    ordre_des_contrats,
    ordre_des_fiches,
)
from .listes import (
    Acteur,
    Financement,
    Indicateur,
    Jalon,
    PointVigilance,
    jalons_en_retard,
    retrait_texte,
    today,
)

__all__ = [
    "Acteur",
    "Contrat",
    "ContratQuerySet",
    "Etat",
    "FicheAction",
    "FicheActionQuerySet",
    "Financement",
    "Habilitation",
    "Indicateur",
    "Invitation",
    "Jalon",
    "PointVigilance",
    "Signataire",
    "VersionSignee",
    "jalons_en_retard",
    "ordre_affiche",
    "ordre_des_contrats",
    "ordre_des_fiches",
    "retrait_texte",
    "today",
]

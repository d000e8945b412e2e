"""Modèles de `contrats` : contrat, signataires, habilitations, fiche action
(`contrat.py`), listes de la fiche (`listes.py`) et invitations (`contrats/invitations.py`).

Tout est réexporté ici : `from pilotage.contrats.models import Jalon` reste l'adresse
de chaque modèle.
"""

from ..invitations import Invitation
from .contrat import (
    VERSION_SIGNEE,
    Contrat,
    ContratQuerySet,
    Etat,
    FicheAction,
    FicheActionQuerySet,
    Habilitation,
    Signataire,
    ordre_des_contrats,
    ordre_des_fiches,
    sans_version_signee,
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
    "VERSION_SIGNEE",
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
    "jalons_en_retard",
    "ordre_des_contrats",
    "ordre_des_fiches",
    "retrait_texte",
    "sans_version_signee",
    "today",
]

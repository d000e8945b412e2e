"""Catalogue des changements de fiche qu'une décision de réunion peut porter.

Une action (`Decision.changement["action"]`) est une classe de `actions.py`, décorée par
`register` : son code, son libellé, son type de décision, les champs du formulaire de
séance qu'elle lit et les clés du JSON qu'ils deviennent, ses champs obligatoires, sa
description en clair et son application à la fiche (`plan`). Le formulaire de séance,
l'application (`services.application`), la description, la vue calendaire et l'export
lisent ce catalogue : ajouter une action, c'est ajouter une classe.
"""

from typing import Any

from pilotage.contrats.models import FicheAction

from ..models import Decision
from . import actions  # noqa: F401  (enregistre les actions)
from .base import REGISTRY, Changement, Key, Plan, fiche_rows

__all__ = [
    "APPLICATIONS",
    "REGISTRY",
    "Changement",
    "Key",
    "Plan",
    "describe",
    "fiche_rows",
    "form_fields_for",
    "receiving_categories",
    "receiving_fiche",
    "spec_for",
    "specs_for",
]


def spec_for(action: Any) -> type[Changement] | None:
    """L'action de ce code ; None pour un code inconnu (ou une donnée forgée)."""
    return REGISTRY.get(action) if isinstance(action, str) else None


def specs_for(categorie: str) -> list[type[Changement]]:
    """Les actions d'un type de décision, dans l'ordre des choix."""
    return [spec for spec in REGISTRY.values() if spec.categorie == categorie]


#: Actions applicables par type de décision, avec leur libellé (tout type y figure).
APPLICATIONS: dict[str, dict[str, str]] = {
    categorie: {spec.code: spec.label for spec in specs_for(categorie)}
    for categorie in Decision.Categorie.values
}


def form_fields_for(categorie: str) -> set[str]:
    """Les champs du formulaire lus par les actions d'un type de décision."""
    return {name for spec in specs_for(categorie) for name in spec.form_fields()}


def receiving_fiche(changement: dict | None) -> Any:
    """Numéro de la fiche qui reçoit aussi le changement (transfert) ; None sinon."""
    spec = spec_for((changement or {}).get("action"))
    return spec.receiving_fiche(changement) if spec else None


def receiving_categories() -> set[str]:
    """Les types de décision dont une action modifie aussi une autre fiche."""
    return {spec.categorie for spec in REGISTRY.values() if spec.receiving_key}


def describe(changement: dict, fiche: FicheAction) -> str:
    """Le changement prévu, en clair : « Transférer 5 000 € (État, 2026) vers la fiche n°3 »."""
    c = changement or {}
    action = c.get("action")
    if not action:
        return ""
    spec = spec_for(action)
    return spec.describe(c, fiche) if spec else action

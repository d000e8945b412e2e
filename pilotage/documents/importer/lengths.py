"""Longueur des textes lus : une fiche dont une rubrique dépasse le plafond des textes
libres (`core/free_text.py`), ou dont un titre, un référent, un acteur, une étape, un
indicateur ou un point de vigilance dépasse ce que la fiche garde, est refusée dès
l'analyse du document, avec la fiche et la rubrique en clair : l'enregistrement ne
rencontre ensuite plus de texte trop long."""

from pilotage.contrats.models import (
    Acteur,
    FicheAction,
    Indicateur,
    Jalon,
    PointVigilance,
)
from pilotage.core.free_text import TEXT_LIMITS

from . import errors
from .errors import ImportErreur


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _label(model, field: str) -> str:
    label = str(model._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


#: Rubrique lue → (libellé, longueur maximale).
_TEXTS = {
    "titre": (_label(FicheAction, "titre"), _max(FicheAction, "titre")),
    "entete_objectifs": (
        _label(FicheAction, "entete_objectifs"),
        _max(FicheAction, "entete_objectifs"),
    ),
    "departement": (
        _label(FicheAction, "departement_libelle"),
        _max(FicheAction, "departement_libelle"),
    ),
    "referent": (_label(FicheAction, "referent"), _max(FicheAction, "referent")),
    **{
        name: (_label(FicheAction, name), TEXT_LIMITS["fiche"])
        for name in (
            "constat",
            "objectif_operationnel",
            "description",
            "moyens_texte",
            "calendrier_texte",
        )
    },
}
#: Liste lue → (libellé, longueur maximale d'un élément). Un acteur peut porter son
#: implication entre parenthèses : les deux longueurs s'ajoutent.
_LISTS = {
    "acteurs": (
        "Acteurs à mobiliser",
        _max(Acteur, "nom") + _max(Acteur, "implication") + 3,
    ),
    "calendrier": ("Calendrier prévisionnel", _max(Jalon, "libelle")),
    "indicateurs_quantitatifs": ("Indicateurs quantitatifs", _max(Indicateur, "libelle")),
    # Les lignes telles qu'écrites : « Garder ces lignes séparées » en fait des indicateurs.
    "quantitatifs_lus": ("Indicateurs quantitatifs", _max(Indicateur, "libelle")),
    "indicateurs_qualitatifs": ("Indicateurs qualitatifs", _max(Indicateur, "libelle")),
    "points_vigilance": ("Points de vigilance", _max(PointVigilance, "libelle")),
}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\N{NO-BREAK SPACE}")


def lengths_check(fiche) -> None:
    """ImportErreur si un texte de la fiche lue dépasse sa longueur maximale."""
    where = f"Fiche n°{fiche.numero}" if fiche.numero is not None else "Une fiche"
    for name, (label, limit) in _TEXTS.items():
        length = len(getattr(fiche, name) or "")
        if length > limit:
            raise ImportErreur(
                errors.too_long(where, label, limit=_number(limit), length=_number(length))
            )
    for name, (label, limit) in _LISTS.items():
        for item in getattr(fiche, name):
            if len(item) > limit:
                raise ImportErreur(
                    errors.too_long(
                        where,
                        f"{label} (un élément)",
                        limit=_number(limit),
                        length=_number(len(item)),
                    )
                )

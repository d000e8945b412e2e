"""Aides communes aux tests des fiches : données POST du formulaire de fiche.

Les données sont construites à partir de la base (rubriques simples et formulaires de
gestion de chaque liste), sans relire le HTML rendu.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model

from pilotage.contrats import services
from pilotage.contrats.models import FicheAction

#: Champs du formulaire principal (hors listes), dans l'ordre du formulaire.
MAIN_FIELDS = [
    "numero",
    "titre",
    "entete_objectifs",
    "departement_libelle",
    "referent",
    "constat",
    "objectif_operationnel",
    "description",
    "moyens_texte",
    "calendrier_texte",
    "etat",
    "motif_abandon",
    "fiche_beneficiaire",
    "a_impact",
]


def _post_value(value: Any):
    """Valeur telle qu'un navigateur l'enverrait (None si le champ est absent de l'envoi)."""
    if value is None:
        return ""
    if value is True:
        return "on"
    if value is False:
        return None  # case non cochée : le navigateur n'envoie rien
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _put(data: dict, key: str, value: Any) -> None:
    converted = _post_value(value)
    if converted is not None:
        data[key] = converted


def existing_rows(fiche: FicheAction, relation: str) -> list[dict[str, Any]]:
    """Les lignes actuelles d'une liste, avec leur id, en dictionnaires modifiables."""
    model, fields, _label = services.FICHE_LISTS[relation]
    rows = []
    for obj in model.objects.filter(fiche=fiche).order_by(*model._meta.ordering[1:]):
        row = {"id": obj.pk}
        for field in fields:
            row[field] = getattr(obj, f"{field}_id" if field == "indicateur_national" else field)
        rows.append(row)
    return rows


def _ids(objects) -> list[str]:
    return [str(getattr(obj, "pk", obj)) for obj in objects]


def fiche_post_data(
    fiche: FicheAction, *, lists: dict[str, list[dict]] | None = None, **overrides
) -> dict[str, Any]:
    """Les données POST du formulaire de modification de `fiche`, comme un navigateur qui
    enregistre la fiche telle qu'elle est en base : rubriques, `version`, chaque liste
    (acteurs, financements, jalons, indicateurs, points de vigilance) avec son formulaire
    de gestion et ses lignes existantes.

    `lists` remplace les lignes d'une liste (`{"financements": [...]}`) : une ligne avec
    `id` est une ligne existante (placée en tête), une ligne sans `id` une nouvelle ligne,
    et une ligne existante absente de la liste est supprimée (case « Supprimer »).

    `overrides` remplace ensuite des clés : une rubrique (`titre="…"`, `a_impact=True`,
    `objectifs=[…]`) ou une clé brute (`**{"acteurs-0-nom": "…"}`) ; une valeur None
    (ou False pour une case à cocher) retire la clé.
    """
    fiche = FicheAction.objects.get(pk=fiche.pk)
    data: dict[str, Any] = {}
    for name in MAIN_FIELDS:
        _put(data, name, getattr(fiche, name))
    _put(data, "version", fiche.version)
    data["objectifs"] = _ids(fiche.objectifs.all())
    data["referents"] = _ids(fiche.referents.all())

    lists = lists or {}
    for relation in services.FICHE_LISTS:
        current = existing_rows(fiche, relation)
        rows = lists.get(relation, current)
        kept_ids = {row["id"] for row in rows if row.get("id")}
        old = [row for row in rows if row.get("id")]
        deleted = [dict(row, DELETE=True) for row in current if row["id"] not in kept_ids]
        new = [row for row in rows if not row.get("id")]
        ordered = old + deleted + new
        data[f"{relation}-TOTAL_FORMS"] = str(len(ordered))
        data[f"{relation}-INITIAL_FORMS"] = str(len(old) + len(deleted))
        data[f"{relation}-MIN_NUM_FORMS"] = "0"
        data[f"{relation}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(ordered):
            prefix = f"{relation}-{index}"
            if row.get("id"):
                data[f"{prefix}-fiche"] = str(fiche.pk)
            for key, value in row.items():
                _put(data, f"{prefix}-{key}", value)

    for key, value in overrides.items():
        data.pop(key, None)
        if value is None:
            continue
        if key in ("objectifs", "referents"):
            data[key] = _ids(value)
        else:
            _put(data, key, value)
    return data

"""Aides communes aux tests des contrats : données POST du formulaire de fiche.

Les données sont construites à la main à partir de la base (rubriques simples et
formulaires de gestion de chaque liste), sans relire le HTML rendu.
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


def fiche_post_data(
    fiche: FicheAction, *, lists: dict[str, list[dict]] | None = None, **overrides
) -> dict[str, Any]:
    """Données POST qui enregistrent `fiche` telle qu'elle est en base, avec `overrides`.

    `lists` remplace les lignes d'une liste (`{"financements": [...]}`) : une ligne avec
    `id` est une ligne existante (placée en tête), une ligne sans `id` une nouvelle ligne,
    et une ligne existante absente de la liste est supprimée (case « Supprimer »).
    """
    fiche = FicheAction.objects.get(pk=fiche.pk)
    data: dict[str, Any] = {}
    values = {name: getattr(fiche, name) for name in MAIN_FIELDS}
    values["version"] = fiche.version
    values.update({k: v for k, v in overrides.items() if k not in ("objectifs", "referents")})
    for name, value in values.items():
        _put(data, name, value)
    objectifs = overrides.get("objectifs", fiche.objectifs.all())
    data["objectifs"] = [str(getattr(o, "pk", o)) for o in objectifs]
    referents = overrides.get("referents", fiche.referents.all())
    data["referents"] = [str(getattr(u, "pk", u)) for u in referents]

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
    return data

"""Chargement des régions et départements (données INSEE, fichier `data/territoires.json`)."""

import json
from pathlib import Path

from django.db import transaction

from .models import Departement, Institution, Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "territoires.json"


@transaction.atomic
def territoires_load(
    *, data: dict | None = None, region_model=Region, departement_model=Departement
) -> tuple[int, int]:
    """Crée les régions et départements manquants ; ne modifie pas les existants.

    Les modèles sont paramétrables pour servir aussi depuis une migration de données.
    """
    data = data or json.loads(DATA_FILE.read_text(encoding="utf-8"))
    regions = {}
    for row in data["regions"]:
        regions[row["code"]], _ = region_model.objects.get_or_create(
            code=row["code"], defaults={"nom": row["nom"]}
        )
    for row in data["departements"]:
        departement_model.objects.get_or_create(
            code=row["code"], defaults={"nom": row["nom"], "region": regions[row["region"]]}
        )
    return region_model.objects.count(), departement_model.objects.count()


@transaction.atomic
def institution_get_or_create(
    *, nom: str, type: str, departement: Departement | None = None, region: Region | None = None
) -> Institution:
    """L'institution de ce nom, créée si besoin."""
    institution, _ = Institution.objects.get_or_create(
        nom=nom, defaults={"type": type, "departement": departement, "region": region}
    )
    return institution

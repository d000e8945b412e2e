"""Chargement et mise à jour du référentiel national.

Les fichiers `data/referentiel_2025_2027.json` et `data/referentiel_2020_2024.json`
(génération précédente, avec ses mesures) sont chargés à l'installation (migrations de
données). Le chargement ne crée que ce qui manque : un intitulé complété ensuite par
l'équipe nationale n'est jamais écrasé.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import (
    A_COMPLETER,
    Engagement,
    ExempleIndicateur,
    Generation,
    IndicateurNational,
    Mesure,
    Objectif,
)
from .unites import Sens, Unite, unite_from_libelle

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Génération précédente, créée vide par la migration 0002 puis complétée par la 0005.
GENERATION_2020 = {
    "code": "2020-2024",
    "libelle": "Stratégie nationale de prévention et de protection de l'enfance 2020-2024",
    "annee_debut": 2020,
    "annee_fin": 2024,
}


def referentiel_data() -> dict:
    """Le fichier du référentiel 2025-2027."""
    return json.loads((DATA_DIR / "referentiel_2025_2027.json").read_text(encoding="utf-8"))


def referentiel_2020_data() -> dict:
    """Le fichier du référentiel 2020-2024 (engagements, mesures, objectifs)."""
    return json.loads((DATA_DIR / "referentiel_2020_2024.json").read_text(encoding="utf-8"))


def national_unit_fields(row: dict) -> dict[str, str]:
    """Unité et sens d'un indicateur national du fichier : ceux qu'il écrit (`unite`,
    `sens`), sinon l'unité devinée de son libellé et aucun sens."""
    unite = row.get("unite") or unite_from_libelle(row["libelle"])
    if unite not in Unite.values:
        unite = Unite.NOMBRE
    sens = row.get("sens") if row.get("sens") in Sens.values else Sens.AUCUN
    return {"unite": str(unite), "sens": str(sens)}


@transaction.atomic
def referentiel_load(*, data: dict | None = None, models: dict | None = None) -> Generation:
    """Crée la génération décrite par `data` et ce qui lui manque.

    `models` permet de passer les modèles historiques d'une migration.
    """
    m = {
        "Generation": Generation,
        "Engagement": Engagement,
        "Objectif": Objectif,
        "IndicateurNational": IndicateurNational,
        "ExempleIndicateur": ExempleIndicateur,
        **(models or {}),
    }
    if data is None:
        data = referentiel_data()
    m["Generation"].objects.get_or_create(
        code=GENERATION_2020["code"],
        defaults={k: v for k, v in GENERATION_2020.items() if k != "code"},
    )
    gen_data = data["generation"]
    generation, _ = m["Generation"].objects.get_or_create(
        code=gen_data["code"],
        defaults={k: v for k, v in gen_data.items() if k != "code"},
    )
    engagements = {}
    for row in data.get("engagements", []):
        engagements[row["numero"]], _ = m["Engagement"].objects.get_or_create(
            generation=generation, numero=row["numero"], defaults={"titre": row["titre"]}
        )
    objectifs = {}
    for row in data["objectifs"]:
        objectifs[row["numero"]], _ = m["Objectif"].objects.get_or_create(
            generation=generation,
            numero=row["numero"],
            defaults={
                "titre": row.get("titre") or A_COMPLETER,
                "statut": row.get("statut", "a_completer"),
                "ondam": row.get("ondam", False),
                "engagement": engagements.get(row.get("engagement")),
                "source": row.get("source", "")[:300],
            },
        )
    _indicateurs_nationaux_load(m, generation, data.get("indicateurs_nationaux", []), objectifs)
    for position, row in enumerate(data.get("exemples", [])):
        m["ExempleIndicateur"].objects.get_or_create(
            objectif=objectifs[row["objectif"]],
            nature=row["nature"],
            libelle=row["libelle"],
            defaults={"ordre": position},
        )
    return generation


def _indicateurs_nationaux_load(m: dict, generation, rows: list[dict], objectifs: dict) -> None:
    """Les indicateurs nationaux qui manquent, reliés à leurs objectifs à leur création."""
    # La migration 0002 passe un modèle historique sans unité (ajoutée par la 0003).
    with_units = any(f.name == "unite" for f in m["IndicateurNational"]._meta.get_fields())
    for row in rows:
        indicateur, created = m["IndicateurNational"].objects.get_or_create(
            generation=generation,
            libelle=row["libelle"],
            defaults={
                "source": row.get("source", "")[:300],
                **(national_unit_fields(row) if with_units else {}),
            },
        )
        if created:
            indicateur.objectifs.set(
                [objectifs[n] for n in row.get("objectifs", []) if n in objectifs]
            )


@transaction.atomic
def referentiel_mesures_load(*, data: dict | None = None, models: dict | None = None) -> Generation:
    """Crée la génération à mesures décrite par `data` (par défaut 2020-2024) et ce qui lui
    manque : engagements (par numéro), mesures (par rang), objectifs (par mesure et rang,
    leurs intitulés n'étant pas numérotés). Rien d'existant n'est modifié.

    `models` permet de passer les modèles historiques d'une migration.
    """
    m = {
        "Generation": Generation,
        "Engagement": Engagement,
        "Mesure": Mesure,
        "Objectif": Objectif,
        **(models or {}),
    }
    if data is None:
        data = referentiel_2020_data()
    gen_data = data["generation"]
    generation, _ = m["Generation"].objects.get_or_create(
        code=gen_data["code"],
        defaults={k: v for k, v in gen_data.items() if k != "code"},
    )
    engagements = {}
    for row in data["engagements"]:
        engagements[row["numero"]], _ = m["Engagement"].objects.get_or_create(
            generation=generation,
            numero=row["numero"],
            defaults={"titre": row["titre"], "type": row.get("type", "engagement")},
        )
    mesures = {}
    for row in data["mesures"]:
        mesures[row["ordre"]], _ = m["Mesure"].objects.get_or_create(
            generation=generation,
            ordre=row["ordre"],
            defaults={
                "engagement": engagements[row["engagement"]],
                "numero": row.get("numero"),
                "titre": row["titre"],
                "source": row.get("source", "")[:300],
            },
        )
    for row in data["objectifs"]:
        mesure = mesures[row["mesure"]]
        m["Objectif"].objects.get_or_create(
            generation=generation,
            mesure=mesure,
            ordre=row["ordre"],
            defaults={
                "engagement_id": mesure.engagement_id,
                "numero": row.get("numero"),
                "titre": row["titre"],
                "statut": row.get("statut", "a_completer"),
                "source": row.get("source", "")[:300],
            },
        )
    return generation


@transaction.atomic
def objectif_update(*, objectif: Objectif, user, fields: dict) -> Objectif:
    """Modifie un objectif du référentiel (équipe nationale) et l'inscrit à l'historique."""
    from pilotage.core.services import diff_snapshots, revision_record

    allowed = {"titre", "statut", "ondam", "engagement"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")

    def snapshot(o: Objectif) -> dict[str, tuple[str, str]]:
        return {
            "titre": ("Intitulé", o.titre),
            "statut": ("Statut", o.get_statut_display()),
            "ondam": ("Financé par l'ONDAM", "Oui" if o.ondam else "Non"),
            "engagement": ("Engagement", str(o.engagement) if o.engagement else ""),
        }

    before = snapshot(objectif)
    for name, value in fields.items():
        setattr(objectif, name, value)
    objectif.full_clean()
    objectif.save()
    changes = diff_snapshots(before, snapshot(objectif))
    if changes:
        revision_record(instance=objectif, user=user, changes=changes)
    return objectif

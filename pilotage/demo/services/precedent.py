"""Le contrat 2020-2024 de la Creuse (génération précédente, première contractualisation
2021) : les 19 fiches du rapport d'exécution 2024, transcrites dans
`data/creuse_2020_2024.json` avec leurs valeurs 2023 et 2024 et leur source.

Les moyens déplacés entre fiches que le rapport mentionne sont des décisions d'une
réunion de suivi (inventée, marquée comme telle dans le fichier) : transfert de 1 000 €
de la fiche 7 vers la 6, abandon de la fiche 18 avec ses crédits vers la 8, et, faute de
montant dans le rapport, deux décisions « moyens » sans changement automatique (10 → 11,
19 → 15). Les fiches 7 et 9 ont une étape en retard (date prévue inventée) et la raison
du retard, telle que le rapport l'écrit, en point de vigilance.

Chargé par `charger_demo` (donc `make demo`) après `demo_load` ; idempotent.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, FicheAction, Habilitation
from pilotage.core.models import Revision
from pilotage.referentiel.models import Generation
from pilotage.referentiel.services import referentiel_mesures_load
from pilotage.referentiel.unites import unite_fields
from pilotage.territoires.models import Departement, Institution

from .reunions import _reunion_load

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "creuse_2020_2024.json"

#: Début de l'historique des fiches (inventé) : avant la réunion de suivi de décembre 2024.
CREATION = datetime.datetime(2024, 1, 15, 9)


def precedent_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _indicateurs(row: dict) -> list[dict]:
    """Indicateurs quantitatifs de la fiche, unité donnée par le fichier ou devinée du libellé."""
    rows = []
    for item in row["indicateurs"]:
        fields = unite_fields(item["libelle"])
        if item.get("unite"):
            fields.update(unite=item["unite"], unite_autre=item.get("unite_autre", ""))
        rows.append(
            {
                "nature": "quantitatif",
                "libelle": item["libelle"],
                "valeur_texte": item.get("valeur_texte", ""),
                **fields,
            }
        )
    return rows


def _payload(row: dict, objectifs: dict) -> dict:
    """Arguments de `fiche_create` pour une fiche du fichier."""
    fields = {
        name: row.get(name, "")
        for name in (
            "numero_texte",
            "titre",
            "entete_objectifs",
            "description",
            "moyens_texte",
            "date_mise_en_place",
            "duree",
        )
    }
    return {
        "fields": {"numero": row["numero"], "etat": row["etat"], **fields},
        "objectifs": [objectifs[row["objectif"]]],
        "acteurs": [{"nom": nom, "implication": ""} for nom in row["acteurs"]],
        "financements": [contrats_services.financement_row(f) for f in row["financements"]],
        "jalons": [
            {"libelle": j["libelle"], "date_prevue": datetime.date.fromisoformat(j["date_prevue"])}
            for j in row["jalons"]
        ],
        "indicateurs": _indicateurs(row),
        "points_vigilance": [{"libelle": p} for p in row["points_vigilance"]],
    }


def _valeurs(fiche: FicheAction, row: dict) -> None:
    """Valeurs 2023 et 2024 telles que le rapport les donne, avec leur source."""
    from pilotage.suivi.services import valeur_create

    for item in row["indicateurs"]:
        indicateur = fiche.indicateurs.get(nature="quantitatif", libelle=item["libelle"])
        for v in item["valeurs"]:
            valeur_create(
                indicateur=indicateur,
                user=None,
                annee=v["annee"],
                valeur=_decimal(v.get("valeur")),
                numerateur=_decimal(v.get("numerateur")),
                denominateur=_decimal(v.get("denominateur")),
                taux_indique=_decimal(v.get("taux_indique")),
                source=v["source"],
                commentaire=v.get("commentaire", ""),
            )


def _contrat_create(data: dict) -> Contrat:
    generation = referentiel_mesures_load()
    objectifs = {o.ordre: o for o in generation.objectifs.all()}
    contrat = contrats_services.contrat_create(
        departement=Departement.objects.get(code=data["departement"]),
        generation=generation,
        statut=Contrat.Statut.BROUILLON,
        annee_premiere_contractualisation=data["annee_premiere_contractualisation"],
        signataires=[
            {
                "institution": Institution.objects.filter(nom=s["institution"]).first(),
                "fonction": s["fonction"],
            }
            for s in data["signataires"]
        ],
    )
    for row in data["fiches"]:
        fiche = contrats_services.fiche_create(
            contrat=contrat,
            user=None,
            source=Revision.Source.DEMO,
            comment="Fiche chargée depuis le rapport d'exécution 2024 publié par le département.",
            **_payload(row, objectifs),
        )
        _valeurs(fiche, row)
    Revision.objects.filter(
        source=Revision.Source.DEMO,
        content_type__model="ficheaction",
        object_id__in=contrat.fiches.values("pk"),
    ).update(created_at=timezone.make_aware(CREATION))
    return contrats_services.contrat_sign(contrat=contrat, date_signature=None)


def _habilitations(contrat: Contrat) -> None:
    """Les comptes de démonstration de la Creuse ont le même rôle sur ce contrat (sans
    fiches tenues à jour : le contrat est clos)."""
    from . import ACCOUNTS

    User = get_user_model()
    for account in ACCOUNTS:
        if account.role and account.departement == contrat.departement.code:
            user = User.objects.get(email=account.email)
            contrats_services.habilitation_grant(user=user, contrat=contrat, role=account.role)


@transaction.atomic
def demo_precedent_load() -> int:
    """Charge le contrat 2020-2024 de la Creuse s'il manque ; renvoie 1 s'il est créé."""
    data = precedent_data()
    generation = Generation.objects.filter(code=data["generation"]).first()
    if Contrat.objects.filter(
        departement__code=data["departement"], generation=generation
    ).exists():
        return 0
    contrat = _contrat_create(data)
    _habilitations(contrat)
    users = {
        u.email: u
        for u in get_user_model().objects.filter(
            habilitations__contrat=contrat, habilitations__role=Habilitation.Role.PILOTE
        )
    }
    _reunion_load(contrat, data["reunion"], users, {})
    return 1

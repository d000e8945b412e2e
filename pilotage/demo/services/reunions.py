"""Réunions de suivi de démonstration (contrat de la Creuse).

Deux réunions passées (un comité de suivi au compte rendu figé, un comité
technique au compte rendu en validation) et une réunion planifiée, décrites dans
`data/reunions_demo.json`. Tout passe par les services des réunions, comme en
séance : notes, décisions, application à la fiche, clôture, validation. Les dates
d'écriture sont ensuite ramenées au jour de la réunion, pour que l'historique des
fiches et la vue calendaire racontent la même chronologie que les réunions.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.core.models import Revision
from pilotage.reunions import services as reunions_services
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
    Participation,
    Reunion,
    ValidationCompteRendu,
)
from pilotage.territoires.models import Institution

#: Clés d'un changement qui désignent une ligne de la fiche, par le début de son libellé.
_LIGNES = {
    "acteur": ("acteurs", "nom"),
    "indicateur": ("indicateurs", "libelle"),
    "jalon": ("jalons", "libelle"),
    "point": ("points_vigilance", "libelle"),
}


def _moment(value: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(value))


def _changement(fiche: FicheAction, changement: dict[str, Any]) -> dict[str, Any]:
    """Remplace les libellés des lignes désignées par leur identifiant dans la fiche."""
    resolved = dict(changement)
    for key, (relation, field) in _LIGNES.items():
        if isinstance(resolved.get(key), str):
            row = getattr(fiche, relation).get(**{f"{field}__startswith": resolved[key]})
            resolved[key] = row.pk
    return resolved


def _participants(reunion: Reunion, rows: list[dict], users) -> None:
    for row in rows:
        if "email" in row:
            participation = reunions_services.participation_add(
                reunion=reunion, user=users[row["email"]]
            )
        else:
            institution = (
                Institution.objects.get(nom=row["institution"]) if row["institution"] else None
            )
            participation = reunions_services.participation_add(
                reunion=reunion, institution=institution, nom=row["nom"]
            )
        reunions_services.participation_set(participation=participation, statut=row["statut"])


def _backdate(reunion: Reunion, first_revision_pk: int, decisions: list[Decision]) -> None:
    """Ramène les écritures de la séance au jour de la réunion (et au lendemain pour
    l'application des décisions), comme si elles avaient été faites à ce moment-là."""
    start = reunion.date
    Reunion.objects.filter(pk=reunion.pk).update(created_at=start - datetime.timedelta(days=45))
    Participation.objects.filter(reunion=reunion).update(
        invitation_envoyee_le=start - datetime.timedelta(days=30)
    )
    for rank, note in enumerate(NoteSeance.objects.filter(point__reunion=reunion)):
        moment = start + datetime.timedelta(minutes=10 + rank)
        NoteSeance.objects.filter(pk=note.pk).update(created_at=moment, updated_at=moment)
    applied = timezone.localtime(start).replace(hour=10, minute=0) + datetime.timedelta(days=1)
    for rank, decision in enumerate(decisions):
        moment = start + datetime.timedelta(minutes=30 + rank)
        Decision.objects.filter(pk=decision.pk).update(
            created_at=moment,
            updated_at=moment,
            appliquee_le=applied if decision.revision_id else None,
        )
    # Révisions produites par les décisions, y compris celle de la fiche qui reçoit un transfert.
    Revision.objects.filter(pk__gte=first_revision_pk, source=Revision.Source.DECISION).update(
        created_at=applied
    )


def _validations(reunion: Reunion, rows: list[dict], users) -> None:
    organisateur = reunion.created_by
    reunions_services.reunion_tenir(reunion=reunion, user=organisateur)
    reunions_services.compte_rendu_submit(reunion=reunion, user=organisateur)
    for row in rows:
        validation = reunions_services.compte_rendu_validate(
            reunion=reunion, user=users[row["par"]], avis=ValidationCompteRendu.Avis.VALIDE
        )
        moment = reunion.date + datetime.timedelta(days=row["jours"])
        ValidationCompteRendu.objects.filter(pk=validation.pk).update(created_at=moment)
    reunion.refresh_from_db()
    if reunion.fige_le:
        Reunion.objects.filter(pk=reunion.pk).update(fige_le=moment)
        # L'exemplaire archivé au figement porte la date du jour : on le refait avec les
        # dates de validation de la démonstration.
        reunion.refresh_from_db()
        for stored in (reunion.compte_rendu_pdf, reunion.compte_rendu_docx):
            stored.storage.delete(stored.name)
        reunions_services.compte_rendu_archive(reunion=reunion)


def _fiches_backdate(contrat: Contrat) -> None:
    """L'historique doit commencer avant la première réunion : la création des fiches
    de démonstration est datée de la signature (ou, à défaut, du 1er juillet 2025)."""
    signature = contrat.date_signature or datetime.date(2025, 7, 1)
    Revision.objects.filter(
        source=Revision.Source.DEMO,
        content_type__model="ficheaction",
        object_id__in=contrat.fiches.values("pk"),
    ).update(created_at=timezone.make_aware(datetime.datetime.combine(signature, datetime.time(9))))


def _reunion_planifier(contrat: Contrat, row: dict, organisateur) -> Reunion:
    selection = list(contrat.fiches.filter(numero__in=row.get("selection", [])))
    return reunions_services.reunion_create(
        contrat=contrat,
        user=organisateur,
        fields={
            "type": row["type"],
            "date": _moment(row["date"]),
            "duree_minutes": row["duree_minutes"],
            "lieu": row["lieu"],
            "lien_visio": row["lien_visio"],
            "ordre_du_jour": row["ordre_du_jour"],
        },
        selection=selection,
    )


def _point_decisions(
    point, rows: list[dict], organisateur, decisions: dict[str, Decision]
) -> list[Decision]:
    """Décisions prises sur un point, appliquées à la fiche si la démonstration le prévoit ;
    chacune est aussi rangée dans `decisions` par sa clé."""
    created = []
    for item in rows:
        decision = reunions_services.decision_create(
            point=point,
            auteur=organisateur,
            fields={
                "categorie": item["categorie"],
                "texte": item["texte"],
                "porteur": item["porteur"],
                "echeance": datetime.date.fromisoformat(item["echeance"]),
                "changement": _changement(point.fiche, item["changement"]),
            },
        )
        if item.get("appliquer"):
            reunions_services.decision_apply(decision=decision, user=organisateur)
            decision.refresh_from_db()
        decisions[item["cle"]] = decision
        created.append(decision)
    return created


def _points_load(
    reunion: Reunion, row: dict, users, organisateur, decisions: dict[str, Decision]
) -> list[Decision]:
    """Temps prévus, notes et décisions de chaque point ; renvoie les décisions créées
    (et les range dans `decisions` par leur clé)."""
    points = {p.fiche.numero: p for p in reunion.points.select_related("fiche")}
    if row.get("temps_prevus"):
        reunions_services.points_durees_set(
            reunion=reunion,
            user=organisateur,
            durees={points[int(n)].pk: m for n, m in row["temps_prevus"].items()},
        )
    created = []
    for numero, content in row["points"].items():
        point = points[int(numero)]
        if content.get("duree_minutes"):
            point.duree_minutes = content["duree_minutes"]
            point.save(update_fields=["duree_minutes"])
        for note in content["notes"]:
            reunions_services.note_save(
                point=point,
                encart=note["encart"],
                auteur=users[note["auteur"]],
                texte=note["texte"],
            )
        created.extend(_point_decisions(point, content["decisions"], organisateur, decisions))
    return created


def _decisions_close(reunion: Reunion, rows: list[dict], users, decisions) -> None:
    for item in rows:
        decision = reunions_services.decision_close(
            decision=decisions[item["decision"]],
            user=users[item["par"]],
            commentaire=item["commentaire"],
        )
        Decision.objects.filter(pk=decision.pk).update(close_le=reunion.date)


def _reunion_load(contrat: Contrat, row: dict, users, decisions: dict[str, Decision]) -> None:
    """Une réunion de démonstration : planification, séance, clôtures, validations."""
    first_revision_pk = (
        Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    organisateur = users[row["organisateur"]]
    reunion = _reunion_planifier(contrat, row, organisateur)
    _participants(reunion, row["participants"], users)
    created = _points_load(reunion, row, users, organisateur, decisions)
    _decisions_close(reunion, row.get("cloturer", []), users, decisions)
    if reunion.est_passee:
        _backdate(reunion, first_revision_pk, created)
    if row.get("validations"):
        _validations(reunion, row["validations"], users)


@transaction.atomic
def reunions_demo_load(contrat: Contrat, data: dict) -> int:
    """Crée les réunions de démonstration du contrat (une seule fois) ; renvoie leur nombre."""
    if contrat.reunions.exists():
        return 0
    _fiches_backdate(contrat)
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(habilitations__contrat=contrat)}
    decisions: dict[str, Decision] = {}
    for row in data["reunions"]:
        _reunion_load(contrat, row, users, decisions)
    return len(data["reunions"])

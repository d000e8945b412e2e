"""Contribution des réunions à l'export JSON du contrat (voir core/exports.py)."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from pilotage.core.exports import register

from .changements import receiving_fiche
from .models import (
    Decision,
    NoteSeance,
    Participation,
    PointOrdreDuJour,
    Reunion,
    ValidationCompteRendu,
)


def _dt(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _changes(revision) -> list[dict]:
    """Ce qu'une révision a changé sur une fiche, rubrique par rubrique."""
    return [
        {"rubrique": c.label, "avant": c.old_value, "apres": c.new_value}
        for c in revision.changes.all()
    ]


def _decision(d) -> dict:
    return {
        "type": d.categorie,
        "texte": d.texte,
        "porteur": d.porteur,
        "echeance": d.echeance.isoformat() if d.echeance else None,
        "statut": d.statut,
        "close_le": _dt(d.close_le),
        "changement": d.changement,
        "appliquee_le": _dt(d.appliquee_le),
        "changements_fiche": _changes(d.revision) if d.revision else [],
        # Transfert : ce qui a changé sur la fiche qui reçoit le montant.
        "fiche_recevant": {
            "numero": receiving_fiche(d.changement),
            "changements_fiche": _changes(d.revision_recue),
        }
        if d.revision_recue
        else None,
    }


def _point(point, notes: list, decisions: list) -> dict:
    return {
        "fiche": point.fiche.numero,
        "reportee": point.reporte,
        "elements_positifs": [
            n.texte_partage for n in notes if n.encart == "positifs" and n.texte_partage
        ],
        "axes_amelioration": [
            n.texte_partage for n in notes if n.encart == "ameliorations" and n.texte_partage
        ],
        "decisions": [_decision(d) for d in decisions],
    }


def _reunion(reunion: Reunion, notes: dict, decisions: dict) -> dict:
    return {
        "titre": reunion.titre,
        "type": reunion.type,
        "date": _dt(reunion.date),
        "duree_minutes": reunion.duree_minutes,
        "lieu": reunion.lieu,
        "lien_visio": reunion.lien_visio,
        "statut": reunion.statut,
        "ordre_du_jour": reunion.ordre_du_jour,
        "fige_le": _dt(reunion.fige_le),
        "participants": [
            {
                "nom": p.libelle,
                "institution": p.institution.nom if p.institution else None,
                "statut": p.statut,
            }
            for p in reunion.participations.all()
        ],
        "fiches": [
            _point(point, notes.get(point.pk, []), decisions.get(point.pk, []))
            for point in reunion.points.all()
        ],
        "validations": [
            {
                "institution": v.institution.nom,
                "par": v.user.email,
                "avis": v.avis,
                "commentaire": v.commentaire,
                "le": _dt(v.created_at),
            }
            for v in reunion.validations.all()
        ],
    }


def _by_point(queryset) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in queryset:
        grouped[row.point_id].append(row)
    return grouped


@register
def add_reunions(contrat, data: dict, refs: dict) -> None:
    """Réunions, participants, encarts par fiche et décisions (état et changements causés).

    Notes et décisions de tout le contrat en une requête chacune, rangées par fiche à
    l'ordre du jour en Python : un contrat suivi en a des centaines, et une requête
    préchargée par point (prefetch_related) coûte un filtre par point."""
    reunions = list(
        Reunion.objects.filter(contrat=contrat)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("institution", "user"),
            ),
            Prefetch(
                "points",
                # De la fiche, le numéro seul : pas ses rubriques, une fois par réunion.
                queryset=PointOrdreDuJour.objects.select_related("fiche").only(
                    "reunion", "reporte", "fiche__numero"
                ),
            ),
            Prefetch(
                "validations",
                queryset=ValidationCompteRendu.objects.select_related("institution", "user"),
            ),
        )
        .avec_rang()  # même titre « 2026 – réunion 2 » qu'à l'écran, annulées comprises
        .order_by("date", "pk")
    )
    if not reunions:
        data["reunions"] = []
        return
    du_contrat = {"point__reunion__contrat": contrat}
    notes = _by_point(
        NoteSeance.objects.filter(**du_contrat)
        .only("point_id", "encart", "texte_partage")
        .order_by("encart", "created_at", "pk")
    )
    decisions = _by_point(
        Decision.objects.filter(**du_contrat)
        .select_related("revision", "revision_recue")
        .prefetch_related("revision__changes", "revision_recue__changes")
        .order_by("created_at", "pk")
    )
    data["reunions"] = [_reunion(reunion, notes, decisions) for reunion in reunions]

"""Contribution des réunions à l'export JSON du contrat (voir core/exports.py)."""

from django.utils import timezone

from pilotage.core.exports import register

from .models import Reunion
from .services.planning import rangs_set


def _dt(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


@register
def add_reunions(contrat, data: dict, refs: dict) -> None:
    """Réunions, participants, encarts par fiche et décisions (état et changements causés)."""
    reunions = (
        Reunion.objects.filter(contrat=contrat)
        .select_related("contrat")
        .prefetch_related(
            "participations__institution",
            "participations__user",
            "points__fiche",
            "points__notes__auteur",
            "points__decisions__revision__changes",
            "points__decisions__revision_recue__changes",
            "validations__institution",
            "validations__user",
        )
        .order_by("date", "pk")
    )
    data["reunions"] = []
    reunions = list(reunions)
    rangs_set(reunions)  # même titre « 2026 – réunion 2 » qu'à l'écran, annulées comprises
    for reunion in reunions:
        data["reunions"].append(
            {
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
                    {
                        "fiche": point.fiche.numero,
                        "reportee": point.reporte,
                        "elements_positifs": [
                            n.texte for n in point.notes.all() if n.encart == "positifs" and n.texte
                        ],
                        "axes_amelioration": [
                            n.texte
                            for n in point.notes.all()
                            if n.encart == "ameliorations" and n.texte
                        ],
                        "decisions": [
                            {
                                "type": d.categorie,
                                "texte": d.texte,
                                "porteur": d.porteur,
                                "echeance": d.echeance.isoformat() if d.echeance else None,
                                "statut": d.statut,
                                "close_le": _dt(d.close_le),
                                "changement": d.changement,
                                "appliquee_le": _dt(d.appliquee_le),
                                "changements_fiche": [
                                    {
                                        "rubrique": c.label,
                                        "avant": c.old_value,
                                        "apres": c.new_value,
                                    }
                                    for c in d.revision.changes.all()
                                ]
                                if d.revision
                                else [],
                                # Transfert : ce qui a changé sur la fiche qui reçoit le montant.
                                "fiche_recevant": {
                                    "numero": d.changement.get("vers_fiche"),
                                    "changements_fiche": [
                                        {
                                            "rubrique": c.label,
                                            "avant": c.old_value,
                                            "apres": c.new_value,
                                        }
                                        for c in d.revision_recue.changes.all()
                                    ],
                                }
                                if d.revision_recue
                                else None,
                            }
                            for d in point.decisions.all()
                        ],
                    }
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
        )

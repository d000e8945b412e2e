"""Historique des décisions : chaque écriture d'une décision laisse une `Revision`.

Consigner, modifier, appliquer, clore, rouvrir : une révision sur la décision, avec
l'auteur, la date et les rubriques changées (instantané lisible avant et après).
Supprimer : la décision disparaît, mais une révision sur la réunion garde son texte et
ses rubriques (la rubrique `DECISION_SUPPRIMEE` la distingue), pour qu'un pilote voie
qui a supprimé quoi et quand.
"""

from django.utils import formats

from pilotage.core.models import Revision
from pilotage.core.services import Change, diff_snapshots, revision_record

from ..changements import describe
from ..models import Decision
from ..selectors import DECISION_SUPPRIMEE

Snapshot = dict[str, tuple[str, str]]


def decision_snapshot(decision: Decision) -> Snapshot:
    """Les rubriques d'une décision, en texte, telles qu'un lecteur les voit."""
    echeance = formats.date_format(decision.echeance, "d/m/Y") if decision.echeance else ""
    return {
        "categorie": ("Type de décision", decision.get_categorie_display()),
        "texte": ("Décision", decision.texte),
        "porteur": ("Qui la porte", decision.porteur),
        "echeance": ("Pour quand", echeance),
        "changement": (
            "Changement prévu sur la fiche",
            describe(decision.changement, decision.point.fiche),
        ),
        "statut": ("Statut", decision.get_statut_display()),
        "commentaire_cloture": ("Commentaire de clôture", decision.commentaire_cloture),
        "appliquee": ("Appliquée à la fiche", "Oui" if decision.est_appliquee else ""),
    }


def decision_history_record(
    *, decision: Decision, user, before: Snapshot, comment: str
) -> Revision | None:
    """Enregistre ce qui a changé depuis `before` (rien si rien n'a changé)."""
    changes = diff_snapshots(before, decision_snapshot(decision))
    if not changes:
        return None
    return revision_record(
        instance=decision,
        user=user,
        changes=changes,
        source=Revision.Source.CREATION if not before else Revision.Source.SAISIE,
        version=decision.version,
        comment=comment,
    )


def decision_deletion_record(*, decision: Decision, user) -> Revision:
    """Trace de la suppression, sur la réunion : la fiche, le texte et les rubriques."""
    point = decision.point
    marker = Change(DECISION_SUPPRIMEE, "Fiche", f"Fiche n°{point.fiche.numero_affiche}", "")
    return revision_record(
        instance=point.reunion,
        user=user,
        changes=[marker, *diff_snapshots(decision_snapshot(decision), {})],
        source=Revision.Source.SAISIE,
        comment=f"Décision supprimée sur la fiche n°{point.fiche.numero_affiche} : {decision.texte}",
    )

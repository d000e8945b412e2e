"""Application d'une décision typée à la fiche (révision reliée à la décision)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pilotage.contrats.models import FicheAction
from pilotage.contrats.services import FICHE_LISTS, fiche_update
from pilotage.core.models import Revision

from ..changements import APPLICATIONS, Plan, fiche_rows, spec_for
from ..models import Decision
from .historique import decision_history_record, decision_snapshot

__all__ = ["APPLICATIONS", "changement_check", "decision_apply"]


def changement_check(*, decision: Decision) -> None:
    """Vérifie que le changement décrit est cohérent avec le type de décision et la fiche."""
    action = (decision.changement or {}).get("action")
    if not action:
        return
    spec = spec_for(action)
    if spec is None or spec.categorie != decision.categorie:
        raise ValidationError(
            {"changement": "Ce changement ne correspond pas au type de décision."}
        )
    spec.plan(decision, decision.point.fiche)  # lève ValidationError si incohérent


def _plan(decision: Decision, fiche: FicheAction) -> Plan:
    """Traduit le changement en arguments de fiche_update (voir `changements`)."""
    spec = spec_for(decision.changement.get("action"))
    if spec is None:
        raise ValidationError({"changement": "Ce changement n'est pas applicable."})
    return spec.plan(decision, fiche)


def _comment(decision: Decision) -> str:
    reunion = decision.point.reunion
    return (
        f"{reunion.get_type_display()} du {timezone.localtime(reunion.date):%d/%m/%Y} – "
        f"décision : {decision.texte}"
    )


@transaction.atomic
def decision_apply(*, decision: Decision, user) -> Revision:
    """Applique la décision à la fiche en une action et relie la révision produite.

    Un transfert modifie aussi la fiche qui reçoit le montant (avec sa propre révision,
    au même commentaire). Rien n'est enregistré si une des fiches refuse le changement."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("point__fiche__contrat", "point__reunion__contrat")
        .get(pk=decision.pk)
    )
    if user is not None and not decision.point.reunion.peut_organiser(user):
        raise PermissionDenied("Seuls les pilotes du contrat appliquent les décisions.")
    if decision.est_appliquee:
        raise ValidationError("Cette décision a déjà été appliquée à la fiche.")
    fiche = FicheAction.objects.prefetch_related(*FICHE_LISTS).get(pk=decision.point.fiche_id)
    plan = _plan(decision, fiche)
    comment = _comment(decision)
    before_decision = decision_snapshot(decision)
    before = fiche.version
    fiche = fiche_update(
        fiche=fiche,
        user=user,
        expected_version=fiche.version,
        fields=plan.fields,
        source=Revision.Source.DECISION,
        comment=comment,
        **plan.lists,
    )
    if fiche.version == before:
        raise ValidationError("La fiche est déjà dans l'état demandé par cette décision.")
    revision = Revision.objects.for_object(fiche).order_by("-pk").first()
    if plan.transfert is not None:
        target, line = plan.transfert
        target = FicheAction.objects.prefetch_related("financements").get(pk=target.pk)
        target = fiche_update(
            fiche=target,
            user=user,
            expected_version=target.version,
            source=Revision.Source.DECISION,
            comment=comment,
            financements=fiche_rows(target, "financements") + [line],
        )
        # La fiche qui reçoit le montant relie aussi sa révision à la décision.
        decision.revision_recue = Revision.objects.for_object(target).order_by("-pk").first()
    decision.revision = revision
    decision.appliquee_le = timezone.now()
    decision.appliquee_par = user
    decision.save(update_fields=["revision", "revision_recue", "appliquee_le", "appliquee_par"])
    decision_history_record(
        decision=decision,
        user=user,
        before=before_decision,
        comment="Décision appliquée à la fiche",
    )
    return revision

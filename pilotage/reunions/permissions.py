"""Règles d'accès aux réunions (elles suivent celles du contrat).

- Voir une réunion, son dossier, son compte rendu, ses décisions : voir le contrat.
- Planifier, modifier, inviter, appliquer ou clore une décision, soumettre le compte
  rendu, le valider pour son institution : pilote du contrat.
- Prendre des notes et consigner des décisions en séance : pilote ou référent de fiche.
Une réunion d'un contrat invisible répond 404, comme le contrat.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from pilotage.contrats import permissions as contrat_permissions

from .models import Decision, Reunion


def get_reunion_for(user, pk, reunion_pk) -> Reunion:
    contrat = contrat_permissions.get_contrat_for(user, pk)
    reunion = get_object_or_404(Reunion.objects.filter(contrat=contrat), pk=reunion_pk)
    reunion.contrat = contrat
    return reunion


def reunion_among(reunions, reunion_pk) -> Reunion:
    """La réunion `reunion_pk` parmi les réunions déjà lues d'un contrat visible
    (`get_contrat_for`), sinon 404 comme `get_reunion_for` : les pages qui lisent toutes
    les réunions du contrat (rangs, réunion précédente) n'en relisent pas une."""
    reunion = next((r for r in reunions if r.pk == reunion_pk), None)
    if reunion is None:
        raise Http404("Réunion introuvable.")
    return reunion


def get_decision_for(user, pk, decision_pk) -> Decision:
    contrat = contrat_permissions.get_contrat_for(user, pk)
    decision = get_object_or_404(
        Decision.objects.filter(point__reunion__contrat=contrat).select_related(
            "point__fiche", "point__reunion"
        ),
        pk=decision_pk,
    )
    decision.point.reunion.contrat = contrat
    decision.point.fiche.contrat = contrat
    return decision


def can_organise(user, reunion_or_contrat) -> bool:
    """Pilote du contrat (`Reunion.peut_organiser`), aussi avant qu'une réunion existe."""
    if isinstance(reunion_or_contrat, Reunion):
        return reunion_or_contrat.peut_organiser(user)
    return contrat_permissions.is_pilote(user, reunion_or_contrat)


def can_take_notes(user, reunion: Reunion) -> bool:
    return reunion.peut_prendre_notes(user)


def can_apply(user, decision: Decision) -> bool:
    """Appliquer une décision à la fiche : pilote du contrat."""
    return decision.point.reunion.peut_organiser(user)


def require_organiser(user, reunion_or_contrat) -> None:
    if not can_organise(user, reunion_or_contrat):
        raise PermissionDenied("Seuls les pilotes du contrat organisent les réunions.")


def require_note_taker(user, reunion: Reunion) -> None:
    if not can_take_notes(user, reunion):
        raise PermissionDenied("Seuls les pilotes et les référents prennent des notes en séance.")

"""Jetons des flux d'agenda : création (montrée une fois), renouvellement, révocation,
et authentification d'une lecture du flux (voir `reunions.jetons`)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pilotage.contrats.models import Contrat
from pilotage.core.tokens import JETON_LONGUEUR_MAX, jeton_empreinte, jeton_nouveau

from ..jetons import JetonFlux, mot_de_passe_empreinte

#: Le dernier usage n'est réécrit qu'une fois par heure : un agenda relit souvent le flux.
USAGE_PRECISION = datetime.timedelta(hours=1)


@transaction.atomic
def jeton_flux_create(*, user, contrat: Contrat) -> tuple[JetonFlux, str]:
    """Crée l'adresse d'abonnement de `user` au contrat et rend (jeton enregistré, jeton en
    clair) : le jeton en clair n'est gardé nulle part, il est montré une seule fois.

    Renouveler, c'est créer : les adresses précédentes de la personne pour ce contrat sont
    révoquées dans la même transaction."""
    if (
        not user.is_authenticated
        or not Contrat.objects.visibles_par(user).filter(pk=contrat.pk).exists()
    ):
        raise PermissionDenied("Vous n'avez pas accès à ce contrat.")
    JetonFlux.objects.actifs().filter(user=user, contrat=contrat).update(revoked_at=timezone.now())
    jeton = jeton_nouveau()
    enregistre = JetonFlux.objects.create(
        user=user,
        contrat=contrat,
        token_hash=jeton_empreinte(jeton),
        password_fingerprint=mot_de_passe_empreinte(user),
    )
    return enregistre, jeton


@transaction.atomic
def jeton_flux_revoke(*, jeton: JetonFlux, user) -> JetonFlux:
    """Révoque une adresse d'abonnement : seule la personne à qui elle appartient."""
    if jeton.user_id != user.pk:
        raise PermissionDenied("Cette adresse d'abonnement n'est pas la vôtre.")
    if jeton.revoked_at is None:
        jeton.revoked_at = timezone.now()
        jeton.save(update_fields=["revoked_at"])
    return jeton


@transaction.atomic
def jeton_flux_authenticate(*, jeton: str) -> JetonFlux | None:
    """Le jeton enregistré qui correspond à `jeton` s'il vaut encore, sinon None.

    Un jeton devenu invalide (mot de passe changé, inutilisé trop longtemps, compte
    désactivé) est révoqué au passage : il ne revivra pas. L'accès au contrat est vérifié
    par la vue, comme pour toute lecture."""
    if not jeton or len(jeton) > JETON_LONGUEUR_MAX:
        return None
    enregistre = (
        JetonFlux.objects.actifs()
        .select_related("user", "contrat")
        .filter(token_hash=jeton_empreinte(jeton))
        .first()
    )
    if enregistre is None:
        return None
    now = timezone.now()
    if enregistre.invalidite(now):
        JetonFlux.objects.filter(pk=enregistre.pk).update(revoked_at=now)
        return None
    if enregistre.last_used_at is None or now - enregistre.last_used_at >= USAGE_PRECISION:
        JetonFlux.objects.filter(pk=enregistre.pk).update(last_used_at=now)
        enregistre.last_used_at = now
    return enregistre

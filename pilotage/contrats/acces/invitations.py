"""Invitations : envoi, renvoi, révocation, acceptation (compte local ou ProConnect).

Une personne qui a déjà un compte est elle aussi invitée, et non habilitée d'office :
un seul chemin pour tout le monde, la personne confirme que l'accès est pour elle (une
adresse mal tapée ne donne de droits à personne sans que le destinataire agisse), le
pilote voit l'invitation en attente et peut la révoquer, et l'historique dit qui a
invité qui. Elle accepte en se connectant (« Se connecter pour accepter »).
"""

import datetime
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pilotage.core.courriels import courriel_envoyer, email_outcome, email_queued
from pilotage.core.services import Change
from pilotage.core.tokens import jeton_empreinte, jeton_nouveau

from ..invitations import Invitation, echeance_nouvelle
from ..models import Contrat, Habilitation
from . import selectors
from .services import (
    acces_grant,
    acces_revision,
    fiches_check,
    fiches_libelle,
    gestion_check,
    personne_libelle,
    role_check,
)

NOM_MAX = 150
EMAIL_MAX = 254
#: Délai minimal entre deux envois d'une même invitation (pas de rafale de courriels),
#: sauf si le dernier courriel n'est pas parti.
RENVOI_DELAI = datetime.timedelta(minutes=5)
#: La sorte des envois suivis (core.courriels.tracking_register, contrats/apps.py).
TRACKING_KIND = "invitation"


def email_normalise(email: str) -> str:
    email = (email or "").strip().lower()
    if not email or len(email) > EMAIL_MAX:
        raise ValidationError({"email": "Saisissez une adresse électronique valide."})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Saisissez une adresse électronique valide."}) from None
    return email


def _nom(value, field: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if len(value) > NOM_MAX:
        raise ValidationError({field: f"{NOM_MAX} caractères au plus."})
    return value


def _description(invitation: Invitation, fiches=None) -> str:
    parts = [invitation.email, invitation.get_role_display()]
    if invitation.institution_id:
        parts.append(str(invitation.institution))
    fiches = invitation.fiches.all() if fiches is None else fiches
    if fiches:
        parts.append("fiches " + fiches_libelle(fiches))
    return " – ".join(parts)


def _debit_check(user) -> None:
    since = timezone.now() - datetime.timedelta(hours=24)
    limit = settings.INVITATIONS_PER_DAY
    if Invitation.objects.filter(sent_by=user, sent_at__gte=since).count() >= limit:
        raise ValidationError(
            f"Vous avez envoyé {limit} invitations en 24 heures, le maximum permis. "
            "Réessayez demain, ou demandez à un autre pilote du contrat."
        )


def _lien(jeton: str, base_url: str) -> str:
    path = reverse("contrats:invitation", args=[jeton])
    base = base_url or getattr(settings, "SITE_URL", "")
    return base.rstrip("/") + path


def _courriel(invitation: Invitation, jeton: str, base_url: str, sender) -> None:
    """Envoie le lien à usage unique, par la file des tâches une fois l'invitation
    enregistrée ; sans file (TASKS_BACKEND=immediate), un envoi impossible annule tout
    (ValidationError).
    Le courriel s'adapte à une personne qui a déjà un compte (son nom, « connectez-vous
    pour accepter ») et ne parle de ProConnect que s'il est configuré."""
    compte = get_user_model().objects.filter(email__iexact=invitation.email).first()
    body = render_to_string(
        "contrats/invitation_courriel.txt",
        {
            "invitation": invitation,
            "contrat": invitation.contrat,
            "lien": _lien(jeton, base_url),
            "expediteur": sender,
            "echeance": timezone.localtime(invitation.expires_at),
            "compte": compte,
            "nom": (compte.get_full_name() if compte else "") or invitation.nom_complet,
            "proconnect": settings.PROCONNECT_ENABLED,
        },
    )
    contrat = invitation.contrat
    try:
        courriel_envoyer(
            subject=f"Invitation au contrat {contrat.generation.code} – {contrat.departement.nom}",
            body=body,
            to=[invitation.email],
            # L'envoi est reconnu à l'empreinte de son jeton : un renvoi en change.
            tracking=(TRACKING_KIND, invitation.pk, invitation.token_hash),
        )
    except (smtplib.SMTPException, OSError):
        raise ValidationError(
            "Le courriel d'invitation n'a pas pu partir : rien n'a été enregistré. "
            "Réessayez dans quelques minutes."
        ) from None


def _destinataire_check(contrat: Contrat, email: str) -> None:
    person = get_user_model().objects.filter(email__iexact=email).first()
    if person is not None and not person.is_active:
        raise ValidationError(
            {"email": "Le compte de cette adresse est désactivé : contactez l'administration."}
        )
    if person is not None:
        roles = [
            h.get_role_display() for h in Habilitation.objects.filter(user=person, contrat=contrat)
        ]
        if roles:
            raise ValidationError(
                {
                    "email": f"{person} a déjà accès à ce contrat ({', '.join(roles)}) : "
                    "changez son rôle dans la liste des personnes."
                }
            )
    if Invitation.objects.filter(contrat=contrat).ouvertes().pour_email(email).exists():
        raise ValidationError(
            {
                "email": "Une invitation est déjà ouverte pour cette adresse : renvoyez-la "
                "depuis la liste des invitations."
            }
        )


@transaction.atomic
def invitation_create(
    *,
    contrat: Contrat,
    user,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    institution=None,
    fiches=(),
    base_url: str = "",
) -> Invitation:
    """Invite une personne à un rôle sur le contrat et lui envoie le lien à usage unique
    (`base_url` : « https://hote/ » de la demande). Inscrit l'envoi dans l'historique."""
    gestion_check(user, contrat)
    email = email_normalise(email)
    first_name, last_name = _nom(first_name, "first_name"), _nom(last_name, "last_name")
    role_check(role)
    fiches = fiches_check(contrat, role, fiches)
    if (
        institution is not None
        and not selectors.institutions_du_contrat(contrat).filter(pk=institution.pk).exists()
    ):
        raise ValidationError({"institution": "Choisissez une institution de ce contrat."})
    _destinataire_check(contrat, email)
    _debit_check(user)
    jeton = jeton_nouveau()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                contrat=contrat,
                email=email,
                first_name=first_name,
                last_name=last_name,
                institution=institution,
                role=role,
                invited_by=user,
                sent_by=user,
                token_hash=jeton_empreinte(jeton),
                **email_queued(),
            )
    except IntegrityError:  # la même invitation, envoyée au même instant par un autre pilote
        raise ValidationError(
            {"email": "Une invitation est déjà ouverte pour cette adresse."}
        ) from None
    invitation.fiches.set(fiches)
    acces_revision(
        contrat=contrat,
        user=user,
        comment=f"Invitation envoyée à {email}",
        changes=[Change("invitation", "Invitation envoyée", "", _description(invitation, fiches))],
    )
    _courriel(invitation, jeton, base_url, user)
    return invitation


def _ouverte_check(invitation: Invitation, action: str) -> None:
    if not invitation.ouverte:
        raise ValidationError(
            f"Cette invitation est {invitation.get_etat_display().lower()} : elle ne peut plus "
            f"être {action}."
        )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, user, base_url: str = "") -> Invitation:
    """Renvoie l'invitation avec un nouveau lien et une nouvelle échéance ; l'ancien lien
    ne vaut plus."""
    invitation = (
        Invitation.objects.select_for_update().select_related("contrat").get(pk=invitation.pk)
    )
    gestion_check(user, invitation.contrat)
    _ouverte_check(invitation, "renvoyée")
    recent = invitation.sent_at > timezone.now() - RENVOI_DELAI
    if recent and not invitation.email_failed:
        raise ValidationError(
            f"Cette invitation vient d'être envoyée (à "
            f"{timezone.localtime(invitation.sent_at):%H:%M}) : attendez quelques minutes "
            "avant de la renvoyer."
        )
    _debit_check(user)
    jeton = jeton_nouveau()
    invitation.token_hash_precedent = invitation.token_hash
    invitation.token_hash = jeton_empreinte(jeton)
    invitation.expires_at = echeance_nouvelle()
    invitation.sent_at = timezone.now()
    invitation.sent_by = user
    for champ, valeur in email_queued().items():
        setattr(invitation, champ, valeur)
    invitation.save(
        update_fields=[
            "token_hash",
            "token_hash_precedent",
            "expires_at",
            "sent_at",
            "sent_by",
            "email_status",
            "email_status_at",
            "email_error",
        ]
    )
    acces_revision(
        contrat=invitation.contrat,
        user=user,
        comment=f"Invitation renvoyée à {invitation.email}",
        changes=[Change("invitation", "Invitation renvoyée", "", _description(invitation))],
    )
    _courriel(invitation, jeton, base_url, user)
    return invitation


def invitation_email_track(pk: int, envoi: str, erreur: str) -> None:
    """Inscrit le sort du courriel d'une invitation (appelé par le travailleur des tâches,
    `core.courriels`) : parti, ou l'erreur du serveur de courriel. Seulement si l'envoi
    est toujours le dernier (même jeton) : un renvoi entre-temps garde son propre sort."""
    Invitation.objects.filter(pk=pk, token_hash=envoi).update(**email_outcome(erreur))


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """Annule l'invitation : son lien ne vaut plus."""
    invitation = (
        Invitation.objects.select_for_update().select_related("contrat").get(pk=invitation.pk)
    )
    gestion_check(user, invitation.contrat)
    _ouverte_check(invitation, "révoquée")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    acces_revision(
        contrat=invitation.contrat,
        user=user,
        comment=f"Invitation révoquée : {invitation.email}",
        changes=[Change("invitation", "Invitation révoquée", _description(invitation), "")],
    )
    return invitation


def _accept_for(invitation: Invitation, person) -> None:
    """Donne les droits de l'invitation à `person`, consomme le lien, inscrit l'acceptation."""
    fiches = list(invitation.fiches.all())
    changes = acces_grant(
        contrat=invitation.contrat,
        person=person,
        role=invitation.role,
        fiches=fiches,
        user=person,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = person
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    acces_revision(
        contrat=invitation.contrat,
        user=person,
        comment=f"Invitation acceptée : {personne_libelle(person)}",
        changes=[Change("invitation", "Invitation acceptée", "", _description(invitation, fiches))]
        + changes,
    )


def _new_account(invitation: Invitation, password, first_name: str, last_name: str):
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation."
        )
    if not isinstance(password, str) or not password:
        raise ValidationError({"password1": "Choisissez un mot de passe."})
    person = User(
        email=invitation.email,
        first_name=_nom(first_name, "first_name"),
        last_name=_nom(last_name, "last_name"),
        institution_id=invitation.institution_id,
    )
    try:
        password_validation.validate_password(password, user=person)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    person.set_password(password)
    person.save()
    return person


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
):
    """Accepte l'invitation et rend le compte qui reçoit les droits.

    `user` connecté : son adresse doit être celle de l'invitation. Sinon un compte local
    est créé avec `password` (règles de `AUTH_PASSWORD_VALIDATORS`). Le lien ne sert
    qu'une fois ; expiré, révoqué ou déjà utilisé : `ValidationError` avec le motif."""
    invitation = (
        Invitation.objects.select_for_update().select_related("contrat").get(pk=invitation.pk)
    )
    if not invitation.utilisable:
        raise ValidationError(invitation.motif_refus())
    if user is not None and user.is_authenticated:
        if not user.is_active or user.email.lower() != invitation.email:
            raise PermissionDenied(
                "Cette invitation est adressée à une autre adresse électronique que celle "
                "de votre compte."
            )
        person = user
    else:
        person = _new_account(invitation, password, first_name, last_name)
    _accept_for(invitation, person)
    return person


def _claim_name(claims: dict, key: str) -> str:
    value = claims.get(key) if isinstance(claims, dict) else None
    return value.strip()[:NOM_MAX] if isinstance(value, str) else ""


@transaction.atomic
def claim_invitation(*, email: str, claims: dict):
    """Arrivée par ProConnect (`comptes.arrivals`) : accepte les invitations en attente de
    cette adresse, en créant le compte (sans mot de passe local, noms de ProConnect) si
    besoin, et le rend ; None si aucune invitation n'attend cette adresse."""
    try:
        email = email_normalise(email)
    except ValidationError:
        return None
    invitations = list(
        Invitation.objects.en_attente()
        .pour_email(email)
        .select_for_update()
        .select_related("contrat")
        .order_by("created_at", "pk")
    )
    if not invitations:
        return None
    User = get_user_model()
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and not person.is_active:
        return None
    if person is None:
        person = User(
            email=email,
            first_name=_claim_name(claims, "given_name"),
            last_name=_claim_name(claims, "usual_name"),
            institution_id=invitations[0].institution_id,
        )
        person.set_unusable_password()
        person.save()
    for invitation in invitations:
        _accept_for(invitation, person)
    return person

"""Écritures de la double authentification : activer l'application, vérifier un code,
régénérer les codes de secours, désactiver.

Un compte a au plus une application (`TOTPDevice`, clé secrète partagée avec le téléphone)
et une liste de codes de secours (`StaticDevice`, 10 codes à usage unique). La clé d'une
activation en cours reste dans la session de la personne jusqu'au premier code juste :
aucun appareil à moitié créé en base.
"""

import datetime
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from pilotage.core.formats import seconds_text

from . import second_factor

RECOVERY_CODES_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
#: Un code à 6 chiffres : la période en cours, la précédente ou la suivante (horloges décalées).
TOTP_TOLERANCE = 1
#: Attente (secondes) à partir de laquelle le message d'un code faux la précise.
NOTICEABLE_WAIT = 5

WRONG_CODE = (
    "Ce code n'est pas le bon. Vérifiez que vous lisez la ligne « Pilotage partagé » de "
    "votre application, et tapez le code affiché en ce moment (il change toutes les 30 secondes)."
)
NOT_VERIFIED = "Confirmez d'abord votre identité avec un code de votre application."


def totp_key_new() -> str:
    """Une clé secrète neuve (20 octets, en hexadécimal), pour une activation."""
    return random_hex(20)


def _totp_match(key: str, token: str) -> TOTP | None:
    try:
        totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    except ValueError:
        return None
    totp.time = time.time()
    if not token.isdigit() or not totp.verify(int(token), tolerance=TOTP_TOLERANCE):
        return None
    return totp


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


@transaction.atomic
def totp_enrolment_confirm(*, user, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Active l'application dont la clé est `key` si `token` est le code qu'elle affiche ;
    rend l'appareil et 10 codes de secours neufs (à montrer une seule fois).

    Remplace l'application et les codes précédents ; pour cela, une personne qui a déjà
    une application doit avoir donné un de ses codes dans cette session (sinon
    `PermissionDenied`). Un code faux : `ValidationError`."""
    if user_has_device(user, confirmed=True) and not _is_verified(user):
        raise PermissionDenied(NOT_VERIFIED)
    totp = _totp_match(key, token)
    if totp is None:
        raise ValidationError(WRONG_CODE, code="wrong_code")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=TOTP_DEVICE_NAME,
        key=key,
        confirmed=True,
        tolerance=TOTP_TOLERANCE,
        drift=totp.drift,
        # Le code de l'activation ne servira pas une seconde fois.
        last_t=totp.t(),
        last_used_at=timezone.now(),
    )
    return device, _recovery_codes_replace(user)


@dataclass(frozen=True)
class Verification:
    """Issue d'un code : l'appareil qui l'a accepté (ou None), le nombre de codes de
    secours restants si c'en était un, et l'heure avant laquelle un nouvel essai sera
    refusé ; `checked` est faux si le code n'a pas été examiné (essais suspendus)."""

    device: TOTPDevice | StaticDevice | None
    recovery_codes_left: int | None = None
    retry_at: datetime.datetime | None = None
    checked: bool = True


def _retry_at(device) -> datetime.datetime | None:
    allowed, data = device.verify_is_allowed()
    return None if allowed else (data or {}).get("locked_until")


def second_factor_check(*, user, token: str) -> Verification:
    """Vérifie `token` : un code à 6 chiffres de l'application, sinon un code de secours
    (consommé s'il est juste). Un échec est compté, et fait attendre avant l'essai suivant
    (django-otp : 2, 4, 8… secondes) ; `retry_at` dit jusqu'à quand.

    Pas d'exception pour un code faux ni de transaction englobante : l'échec doit rester
    enregistré (compteur d'essais), l'appelant en fait un message (`second_factor_verify`)."""
    token = "".join(token.split()).replace("-", "").lower()
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return Verification(device=None)
        retry_at = _retry_at(device)
        if retry_at is not None:
            return Verification(device=None, retry_at=retry_at, checked=False)
        if device.verify_token(token):
            left = device.token_set.count() if model is StaticDevice else None
            return Verification(device=device, recovery_codes_left=left)
    return Verification(device=None, retry_at=_retry_at(device))


def _seconds_until(moment: datetime.datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def second_factor_verify(*, user, token: str) -> Verification:
    """`second_factor_check`, avec un message en français pour un code refusé
    (`ValidationError`) : code faux (`wrong_code`), ou essais suspendus (`throttled`) ; le
    message dit quand réessayer dès que l'attente devient sensible."""
    result = second_factor_check(user=user, token=token)
    if result.device is not None:
        return result
    if not result.checked:
        wait = seconds_text(_seconds_until(result.retry_at))
        when = timezone.localtime(result.retry_at).strftime("%H h %M min %S s")
        raise ValidationError(
            "Trop de codes faux à la suite : par sécurité, attendez "
            f"{wait} avant de réessayer (à partir de {when}).",
            code="throttled",
        )
    message = WRONG_CODE
    if result.retry_at is not None and _seconds_until(result.retry_at) >= NOTICEABLE_WAIT:
        wait = seconds_text(_seconds_until(result.retry_at))
        message += f" Attendez {wait} avant le prochain essai."
    raise ValidationError(message, code="wrong_code")


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """10 codes de secours neufs ; les anciens ne valent plus. Session vérifiée exigée."""
    if not _is_verified(user):
        raise PermissionDenied(NOT_VERIFIED)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Activez d'abord la double authentification.")
    return _recovery_codes_replace(user)


def second_factor_may_disable(user) -> bool:
    """Seule une personne à qui le second facteur n'est pas imposé peut le retirer."""
    return not (settings.OTP_REQUIRED and second_factor.required_for(user))


@transaction.atomic
def second_factor_disable(*, user) -> None:
    """Retire l'application et les codes de secours. Refusé (`PermissionDenied`) si la
    double authentification est imposée à ce compte ou si la session n'est pas vérifiée."""
    if not second_factor_may_disable(user):
        raise PermissionDenied(
            "La double authentification est obligatoire pour votre rôle : elle ne peut pas "
            "être désactivée."
        )
    if not _is_verified(user):
        raise PermissionDenied(NOT_VERIFIED)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()

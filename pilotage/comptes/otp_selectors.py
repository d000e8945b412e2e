"""Lectures de la double authentification : état d'un compte (pour « Mon compte ») et
ce que la page d'activation montre (QR code, clé à recopier)."""

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class SecondFactorState:
    active: bool
    activated_at: object = None
    last_used_at: object = None
    recovery_codes_left: int = 0


def second_factor_state(user) -> SecondFactorState:
    """L'application active de ce compte (date d'activation, dernier usage) et le nombre
    de codes de secours restants ; deux requêtes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).only("created_at", "last_used_at")
    device = device.first()
    if device is None:
        return SecondFactorState(active=False)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return SecondFactorState(
        active=True,
        activated_at=device.created_at,
        last_used_at=device.last_used_at,
        recovery_codes_left=left,
    )


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class TotpSetup:
    """Ce qu'il faut pour ajouter le compte dans une application d'authentification."""

    uri: str
    secret_groups: list[str]
    qr_svg: SafeString


def totp_setup(user, key: str) -> TotpSetup:
    """Adresse `otpauth://` (format de Google Authenticator, lu par toutes les
    applications), la clé en base 32 par groupes de 4 caractères, et le QR code en SVG
    (dessiné ici, sans image externe ni attribut `style` : compatible avec la CSP)."""
    secret = b32encode(bytes.fromhex(key)).decode()
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{user.get_username()}")
    params = urlencode({"secret": secret, "algorithm": "SHA1", "digits": 6, "period": 30})
    uri = f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"
    svg = segno.make(uri, error="m").svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title="QR code à scanner avec votre application d'authentification",
        svgclass="pilotage-qr",
    )
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    return TotpSetup(uri=uri, secret_groups=groups, qr_svg=mark_safe(svg))  # SVG produit par segno

"""`{% otp_obligatoire as on %}` : la double authentification est-elle demandée sur ce
site (réglage `OTP_REQUIRED`, coupé par défaut en démonstration) ?"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def otp_obligatoire() -> bool:
    return bool(settings.OTP_REQUIRED)

"""Contexte commun des gabarits : identité du service (sans requête en base)."""

from types import SimpleNamespace

from django.conf import settings

SITE = SimpleNamespace(
    site_title="Pilotage partagé",
    site_tagline="Contractualisation en prévention et protection de l'enfance",
    header_brand_html="République<br>Française",
    footer_brand_html="République<br>Française",
    footer_description=(
        "Pilotage partagé permet à l'État, à l'ARS et au Conseil départemental de suivre "
        "ensemble les fiches actions de leur contrat de prévention et de protection de l'enfance."
    ),
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
)


def site(request):
    return {"SITE_CONFIG": SITE, "DEMO_MODE": settings.DEMO_MODE}

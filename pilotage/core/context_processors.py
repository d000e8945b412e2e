"""Contexte commun des gabarits : identité du service (sans requête en base), liens
d'évitement."""

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

#: Liens d'évitement (RGAA 12.7), rendus par `{% dsfr_skiplinks skiplinks %}` du gabarit
#: de base DSFR ; leurs cibles sont `<main id="content">`, `<nav id="fr-navigation">`
#: (menu principal, affiché une fois connecté) et `<footer id="footer">`.
SKIPLINK_CONTENT = {"link": "#content", "label": "Aller au contenu"}
SKIPLINK_MENU = {"link": "#fr-navigation", "label": "Aller au menu"}
SKIPLINK_FOOTER = {"link": "#footer", "label": "Aller au pied de page"}


def _skiplinks(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return [SKIPLINK_CONTENT, SKIPLINK_MENU, SKIPLINK_FOOTER]
    return [SKIPLINK_CONTENT, SKIPLINK_FOOTER]


def site(request):
    return {
        "SITE_CONFIG": SITE,
        "DEMO_MODE": settings.DEMO_MODE,
        # Appelable : le gabarit ne l'évalue (et ne charge l'utilisateur) que s'il l'affiche.
        "skiplinks": lambda: _skiplinks(request),
    }

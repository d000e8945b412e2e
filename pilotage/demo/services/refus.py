"""Garde-fou : la démonstration (comptes au mot de passe public) ne se charge que là où
elle a sa place."""

from django.conf import settings
from django.contrib.auth import get_user_model

from pilotage.contrats.models import Contrat

DEMO_DOMAIN = "@demo.pilotage.test"


def demo_refusal() -> str:
    """Pourquoi la démonstration ne doit pas être chargée dans cette base ; vide sinon.

    Elle crée des comptes au mot de passe public : jamais hors du mode démonstration, ni
    dans une base qui tient déjà de vrais contrats."""
    if not settings.DEMO_MODE:
        return (
            "La démonstration ne se charge qu'en mode démonstration (DEMO_MODE, actif par "
            "défaut avec DJANGO_ENV=development) : elle crée des comptes au mot de passe public."
        )
    has_contrats = Contrat.objects.exists()
    if has_contrats and not get_user_model().objects.filter(email__endswith=DEMO_DOMAIN).exists():
        return (
            "Cette base contient des contrats qui ne viennent pas de la démonstration : "
            "charger_demo refuse d'y ajouter des comptes au mot de passe public."
        )
    return ""

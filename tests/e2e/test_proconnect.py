"""Connexion avec ProConnect dans Chromium, contre le fournisseur OpenID Connect local
(`tests/oidc_provider`) : bouton, connexion chez le fournisseur, arrivée dans
l'application, déconnexion chez le fournisseur ; refus d'une personne sans invitation.
La Content-Security-Policy (form-action) laisse passer les redirections vers le fournisseur."""

import re

import pytest

from pilotage.contrats.models import Habilitation
from tests.factories import ContratFactory, UserFactory, grant
from tests.oidc_provider import AGENT_PASSWORD
from tests.oidc_provider.fixture import oidc_provider  # noqa: F401 (fixture)


@pytest.fixture
def provider(oidc_provider, settings, browser, transactional_db):  # noqa: F811
    oidc_provider.app_settings(settings)
    oidc_provider.reglage()
    return oidc_provider


@pytest.fixture
def csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def proconnect_login(page, live_server, provider):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.wait_for_url(re.compile(re.escape(provider.base_url) + "/connexion/"))
    page.fill("input[name=username]", provider.username)
    page.fill("input[name=password]", AGENT_PASSWORD)
    page.get_by_role("button", name="Se connecter au fournisseur").click()


def test_an_agent_logs_in_with_proconnect_and_logs_out_through_it(
    provider, page, live_server, csp_violations
):
    user = UserFactory(email="agent@exemple.gouv.fr", first_name="A", last_name="B")
    contrat = ContratFactory()
    grant(user, contrat, role=Habilitation.Role.LECTEUR)
    provider.reglage(sub="sub-agent-creuse", usual_name="Agent")
    proconnect_login(page, live_server, provider)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name=re.compile("Mon compte : Aline Agent")).is_visible()
    assert page.get_by_text(re.compile(contrat.departement.nom)).first.is_visible()
    user.refresh_from_db()
    assert user.proconnect_sub == "sub-agent-creuse"

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/comptes/connexion/")
    assert page.get_by_text(
        "Vous êtes déconnecté de Pilotage partagé et de ProConnect."
    ).is_visible()
    # La session du fournisseur est fermée : un nouveau clic redemande le mot de passe.
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.wait_for_url(re.compile(re.escape(provider.base_url) + "/connexion/"))
    assert csp_violations == []


def test_a_person_without_invitation_is_told_in_french_to_ask_a_pilote(
    provider, page, live_server, csp_violations
):
    provider.reglage(sub="sub-inconnue", email="inconnue@exemple.gouv.fr")
    proconnect_login(page, live_server, provider)
    page.wait_for_url(f"{live_server.url}/comptes/connexion/proconnect/sans-invitation/")
    assert page.get_by_role(
        "heading", name="Vous n'avez pas encore accès à Pilotage partagé"
    ).is_visible()
    assert page.get_by_text("Demandez à un pilote de votre contrat de vous inviter").is_visible()
    assert page.get_by_text("inconnue@exemple.gouv.fr").first.is_visible()
    assert csp_violations == []

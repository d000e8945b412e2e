"""Arrivée d'un partenaire sans ProConnect, de bout en bout dans Chromium : un pilote
l'invite depuis « Personnes et droits », la personne ouvre le lien du courriel, crée
son mot de passe (un mot de passe trop court est refusé en français), puis, comme son
rôle de validateur l'exige, active sa double authentification avant d'arriver sur le
contrat ; le lien ne sert qu'une fois."""

import re

import pytest
from django.core import mail

from tests.e2e.test_double_authentification import code_from_page_secret

PASSWORD = "mot-de-passe-test"
NEW_PASSWORD = "Une phrase de passe solide 2026"
LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+/)")


@pytest.fixture
def contrat_et_pilote(transactional_db, browser):
    from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant

    contrat = ContratFactory()
    pilote = UserFactory(email="pilote.e2e@exemple.test")
    grant(pilote, contrat)
    InstitutionFactory(nom="Association partenaire (fictive)")
    return contrat, pilote


def test_invited_partner_creates_password_then_enrols_second_factor(
    page, live_server, settings, contrat_et_pilote
):
    contrat, pilote = contrat_et_pilote
    settings.OTP_REQUIRED = False  # le pilote de ce test n'a pas de second facteur
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", pilote.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/contrats/{contrat.pk}/acces/")
    page.get_by_label("Adresse électronique").fill("partenaire.e2e@exemple.test")
    page.get_by_label("Institution").select_option(label="Association partenaire (fictive)")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Essai")
    page.get_by_label("Rôle").select_option(label="Validateur")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text("partenaire.e2e@exemple.test").first.is_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/connexion/"))

    (message,) = mail.outbox
    path = LINK.search(message.body).group(1)
    settings.OTP_REQUIRED = True
    page.goto(f"{live_server.url}{path}")
    page.locator("#id_password1").fill("court")
    page.locator("#id_password2").fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.get_by_text("Votre compte n'a pas été créé").is_visible()
    assert page.get_by_text(re.compile("trop court")).first.is_visible()

    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r"/comptes/double-authentification/activer/"))
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", code_from_page_secret(secret))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(re.compile(r"/codes-de-secours/"))
    page.get_by_text("J'ai noté ces codes").click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(rf"/contrats/{contrat.pk}/"))
    assert page.get_by_role("heading", level=1).first.is_visible()

    # Le lien rouvert par la personne qui l'a accepté la mène à son contrat.
    page.goto(f"{live_server.url}{path}")
    page.wait_for_url(re.compile(rf"/contrats/{contrat.pk}/$"))
    assert page.get_by_text(re.compile("Invitation acceptée")).first.is_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(f"{live_server.url}{path}")
    assert page.get_by_text(re.compile("déjà été acceptée")).first.is_visible()

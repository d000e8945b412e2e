"""Mot de passe en libre-service : changement (règles de longueur et de mots de passe
courants), oubli (courriel en français, même réponse pour une adresse inconnue, lien à
usage unique et limité dans le temps), effet sur les adresses d'abonnement d'agenda."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail

from pilotage.reunions.services import jeton_flux_create
from tests.factories import ContratFactory, UserFactory, grant

CHANGE = "/comptes/mot-de-passe/"
RESET = "/comptes/mot-de-passe/oublie/"
OLD = "mot-de-passe-test"
NEW = "une phrase de passe solide 2025"


@pytest.fixture
def agent(db):
    return UserFactory(email="agent@exemple.test", first_name="Camille", last_name="Martin")


def change(client, new, confirm=None, old=OLD):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    )


# --- changement ---------------------------------------------------------------------------


def test_the_change_page_is_for_logged_in_people_only(client, db):
    assert client.get(CHANGE)["Location"].startswith("/comptes/connexion/")


def test_a_password_of_eleven_characters_is_refused_with_a_french_message(client, agent):
    client.force_login(agent)
    response = change(client, "abcdefgh-12")
    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(OLD)


def test_a_common_password_is_refused(client, agent):
    client.force_login(agent)
    response = change(client, "qwerty123456")
    assert "trop courant" in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(OLD)


def test_a_wrong_current_password_is_refused(client, agent):
    client.force_login(agent)
    response = change(client, NEW, old="pas-le-bon")
    assert "ancien mot de passe est incorrect" in response.content.decode()


def test_a_good_new_password_is_saved_and_the_session_stays_open(client, agent):
    client.force_login(agent)
    page = client.get(CHANGE).content.decode()
    assert "Au moins 12 caractères" in page and 'autocomplete="new-password"' in page
    response = change(client, NEW)
    assert response["Location"] == "/comptes/"
    agent.refresh_from_db()
    assert agent.check_password(NEW)
    follow = client.get("/comptes/")
    assert follow.status_code == 200
    assert "Votre mot de passe est changé" in follow.content.decode()


def test_changing_the_password_stops_the_calendar_feed_addresses(client, agent):
    contrat = ContratFactory()
    grant(agent, contrat)
    jeton, _ = jeton_flux_create(user=agent, contrat=contrat)
    client.force_login(agent)
    change(client, NEW)
    jeton.refresh_from_db()
    jeton.user.refresh_from_db()
    assert jeton.invalidite() == "mot de passe changé"


def test_an_account_without_password_proconnect_is_sent_back_to_my_account(client, agent):
    agent.set_unusable_password()
    agent.save()
    client.force_login(agent)
    response = client.get(CHANGE, follow=True)
    assert "se connecte par ProConnect" in response.content.decode()


# --- oubli --------------------------------------------------------------------------------


def test_the_login_page_offers_a_forgotten_password_link(client, db):
    page = client.get("/comptes/connexion/").content.decode()
    assert 'href="/comptes/mot-de-passe/oublie/"' in page
    assert "Mot de passe oublié ?" in page


def test_a_reset_email_in_french_is_sent_to_a_known_address(client, agent):
    response = client.post(RESET, {"email": "AGENT@exemple.test"})
    assert response["Location"] == "/comptes/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["agent@exemple.test"]
    assert message.subject == "Pilotage partagé : choisir un nouveau mot de passe"
    assert "valable 60 minutes et ne sert qu'une fois" in message.body
    assert re.search(r"http://testserver/comptes/mot-de-passe/nouveau/[\w-]+/[\w-]+/", message.body)
    done = client.get(response["Location"]).content.decode()
    assert "Si un compte existe avec cette adresse" in done


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, agent):
    known = client.post(RESET, {"email": "agent@exemple.test"})
    unknown = client.post(RESET, {"email": "inconnu@exemple.test"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1


def test_reset_requests_are_rate_limited_per_address_with_a_french_message(client, agent):
    """Pas d'inondation d'une boîte de courriels par le formulaire public."""
    from pilotage.core.ratelimit import PASSWORD_RESETS_PER_MINUTE

    assert client.get(RESET).status_code == 200  # afficher le formulaire ne compte pas
    for _ in range(PASSWORD_RESETS_PER_MINUTE):
        assert client.post(RESET, {"email": "agent@exemple.test"}).status_code == 302
    refused = client.post(RESET, {"email": "agent@exemple.test"})
    assert refused.status_code == 429
    assert "Trop de demandes de lien en peu de temps : réessayez dans" in refused.text
    assert int(refused["Retry-After"]) >= 1
    assert len(mail.outbox) == PASSWORD_RESETS_PER_MINUTE
    assert client.get(RESET).status_code == 200


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "a" * 250 + "@exemple.test"])
def test_a_malformed_address_is_refused_by_the_form(client, db, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert len(mail.outbox) == 0


def reset_link(client, email="agent@exemple.test") -> str:
    client.post(RESET, {"email": email})
    return re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)


def test_the_reset_link_works_once(client, agent):
    link = reset_link(client)
    form_page = client.get(link)
    assert form_page.status_code == 302  # Django retire le jeton de l'adresse
    set_password_url = form_page["Location"]
    assert "Choisir un nouveau mot de passe" in client.get(set_password_url).content.decode()
    short = client.post(set_password_url, {"new_password1": "court", "new_password2": "court"})
    assert "au minimum 12 caractères" in short.content.decode()
    response = client.post(set_password_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/comptes/mot-de-passe/nouveau/termine/"
    assert "Mot de passe enregistré" in client.get(response["Location"]).content.decode()
    agent.refresh_from_db()
    assert agent.check_password(NEW)
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien ne fonctionne plus" in again
    assert "déjà servi" in again


def test_an_expired_reset_link_is_refused_with_a_french_message(client, agent, monkeypatch):
    link = reset_link(client)
    later = datetime.datetime.now() + datetime.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = client.get(link, follow=True).content.decode()
    assert "Ce lien ne fonctionne plus" in page
    assert "il n'est valable que 60 minutes" in page
    agent.refresh_from_db()
    assert agent.check_password(OLD)


def test_a_forged_reset_link_is_refused_without_error(client, agent):
    for link in (
        "/comptes/mot-de-passe/nouveau/zzzz/abc-def/",
        "/comptes/mot-de-passe/nouveau/" + "A" * 500 + "/x/",
    ):
        response = client.get(link)
        assert response.status_code == 200
        assert "Ce lien ne fonctionne plus" in response.content.decode()


def test_the_reset_pages_open_while_logged_in_without_the_second_factor(client, settings, db):
    settings.OTP_REQUIRED = True
    staff = UserFactory(email="admin@exemple.test", is_staff=True)
    client.force_login(staff)
    assert client.get(RESET).status_code == 200
    link = reset_link(client, staff.email)
    assert client.get(link).status_code == 302

"""Connexion avec ProConnect, contre le fournisseur OpenID Connect local
(`tests/oidc_provider`) : le client de test de Django joue le navigateur côté application,
`requests` côté fournisseur."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from pilotage.comptes import arrivals, oidc
from pilotage.contrats.models import Habilitation
from tests.factories import InvitationFactory, UserFactory
from tests.oidc_provider.fixture import oidc_provider  # noqa: F401 (fixture)

User = get_user_model()


@pytest.fixture
def provider(oidc_provider, settings):  # noqa: F811
    oidc_provider.app_settings(settings)
    oidc_provider.reglage()
    return oidc_provider


@pytest.fixture
def refus(monkeypatch):
    """Les refus inscrits au journal de sécurité (motif, adresse)."""
    logged = []

    def record(request, refus):
        logged.append((refus.motif, refus.email))

    monkeypatch.setattr(oidc, "refus_log", record)
    return logged


def proconnect_login(client, provider, next_url=""):
    """Clic sur le bouton, connexion chez le fournisseur, retour : la réponse du retour."""
    start = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    callback = provider.authorize(start["Location"])
    assert callback.startswith("http://testserver/oidc/callback/?")
    return client.get(callback.removeprefix("http://testserver"))


def logged_in_user(client):
    response = client.get("/comptes/connexion/")
    return response.wsgi_request.user


def login_page(client):
    """La personne de la session et le texte de la page de connexion (messages compris)."""
    response = client.get("/comptes/connexion/")
    return response.wsgi_request.user, response.content.decode()


# --- bouton et départ --------------------------------------------------------------


def test_the_login_page_shows_the_proconnect_button_only_when_configured(client, db, settings):
    settings.PROCONNECT_ENABLED = False
    page = client.get("/comptes/connexion/").content.decode()
    assert "ProConnect" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    settings.PROCONNECT_ENABLED = True
    page = client.get("/comptes/connexion/?next=/contrats/").content.decode()
    assert 'class="fr-connect"' in page and "S’identifier avec" in page
    assert "Qu’est-ce que ProConnect ?" in page and 'href="https://www.proconnect.gouv.fr/"' in page
    assert 'action="/oidc/authenticate/"' in page and 'name="next" value="/contrats/"' in page


def test_the_authorization_request_uses_pkce_state_nonce_and_proconnect_scopes(
    client, db, provider
):
    response = client.get("/oidc/authenticate/")
    url = urlsplit(response["Location"])
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.issuer}/authorize"
    assert params["scope"] == "openid email given_name usual_name siret uid"
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"


def test_the_proconnect_pages_open_without_login_and_answer_404_when_not_configured(
    client, db, settings
):
    settings.PROCONNECT_ENABLED = False
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert client.get("/comptes/connexion/proconnect/sans-invitation/").status_code == 403


# --- qui entre ---------------------------------------------------------------------


def test_a_user_is_found_by_sub_and_takes_the_names_given_by_proconnect(client, db, provider):
    user = UserFactory(email="ancienne@exemple.test", proconnect_sub="sub-42")
    provider.reglage(sub="sub-42", given_name="Aline", usual_name="Durand")
    response = proconnect_login(client, provider)
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user(client) == user
    user.refresh_from_db()
    assert user.get_full_name() == "Aline Durand" and user.email == "ancienne@exemple.test"
    assert client.session[oidc.ID_TOKEN_SESSION_KEY]


def test_a_user_is_found_by_email_whatever_the_case_and_keeps_the_sub(client, db, provider):
    user = UserFactory(email="agent.pmi@exemple.test")
    provider.reglage(sub="sub-pmi", email="Agent.PMI@exemple.test")
    response = proconnect_login(client, provider, next_url="/contrats/")
    assert response.status_code == 302 and response["Location"] == "/contrats/"
    assert logged_in_user(client) == user
    user.refresh_from_db()
    assert user.proconnect_sub == "sub-pmi"


def test_a_newcomer_enters_through_a_registered_claimer(client, db, provider, monkeypatch):
    seen = []

    def claimer(*, email, claims):
        seen.append((email, claims["siret"]))
        return User.objects.create_user(email=email, first_name="Jeanne")

    monkeypatch.setattr(arrivals, "CLAIMERS", [claimer])
    provider.reglage(sub="sub-neuve", email="Jeanne@Exemple.gouv.fr", usual_name="Martin")
    response = proconnect_login(client, provider)
    assert response.status_code == 302
    user = logged_in_user(client)
    assert seen == [("jeanne@exemple.gouv.fr", "13002526500013")]
    assert user.email == "jeanne@exemple.gouv.fr" and user.proconnect_sub == "sub-neuve"
    assert user.get_full_name() == "Aline Martin"


def test_a_pending_invitation_lets_the_person_in_with_its_role(client, db, provider):
    invitation = InvitationFactory(email="invitee@exemple.gouv.fr")
    provider.reglage(sub="sub-invitee", email="invitee@exemple.gouv.fr")
    assert proconnect_login(client, provider).status_code == 302
    user = User.objects.get(email="invitee@exemple.gouv.fr")
    assert user.proconnect_sub == "sub-invitee"
    assert Habilitation.objects.filter(user=user, contrat=invitation.contrat).exists()


def test_without_invitation_nobody_enters_and_a_french_page_explains_why(
    client, db, provider, refus
):
    provider.reglage(sub="sub-inconnu", email="inconnu@exemple.gouv.fr")
    response = proconnect_login(client, provider)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/connexion/proconnect/sans-invitation/"
    assert not User.objects.filter(email="inconnu@exemple.gouv.fr").exists()
    assert not logged_in_user(client).is_authenticated
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 403
    assert "Vous n'avez pas encore accès" in text and "inconnu@exemple.gouv.fr" in text
    assert "Demandez à un pilote de votre contrat de vous inviter" in text
    assert "Changer de compte ProConnect" in text
    assert refus == [("sans_invitation", "inconnu@exemple.gouv.fr")]


def test_a_deactivated_user_is_refused_with_a_clear_message(client, db, provider, refus):
    UserFactory(email="partie@exemple.test", proconnect_sub="sub-partie", is_active=False)
    provider.reglage(sub="sub-partie", email="partie@exemple.test")
    response = proconnect_login(client, provider)
    assert response["Location"] == "/comptes/connexion/"
    user, page = login_page(client)
    assert not user.is_authenticated
    assert "Votre compte Pilotage partagé est désactivé" in page
    assert refus == [("compte_desactive", "partie@exemple.test")]


def test_a_deactivated_user_found_by_email_is_refused_too(client, db, provider, refus):
    UserFactory(email="partie@exemple.test", is_active=False)
    provider.reglage(sub="sub-partie", email="partie@exemple.test")
    proconnect_login(client, provider)
    assert not logged_in_user(client).is_authenticated
    assert refus == [("compte_desactive", "partie@exemple.test")]


# --- jetons refusés ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["jeton_expire", "mauvaise_signature"])
def test_an_expired_or_badly_signed_token_is_refused(client, db, provider, refus, mode):
    user = UserFactory(email="agent@exemple.gouv.fr", proconnect_sub="agent")
    provider.reglage(mode=mode)
    response = proconnect_login(client, provider)
    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"
    user_now, page = login_page(client)
    assert not user_now.is_authenticated
    assert "La connexion avec ProConnect n'a pas pu être vérifiée." in page
    assert refus == [("reponse_invalide", "")]
    user.refresh_from_db()
    assert user.last_login is None


def test_a_plain_json_userinfo_is_accepted(client, db, provider):
    user = UserFactory(email="agent@exemple.gouv.fr")
    provider.reglage(mode="userinfo_json")
    proconnect_login(client, provider)
    assert logged_in_user(client) == user


def test_a_token_from_another_issuer_is_refused(client, db, provider, settings, refus):
    UserFactory(email="agent@exemple.gouv.fr")
    settings.PROCONNECT_ISSUER = "https://auth.agentconnect.gouv.fr/api/v2"
    proconnect_login(client, provider)
    assert not logged_in_user(client).is_authenticated
    assert refus == [("reponse_invalide", "")]


def test_a_state_that_is_not_ours_is_refused_without_error_page(client, db, provider, refus):
    UserFactory(email="agent@exemple.gouv.fr")
    start = client.get("/oidc/authenticate/")
    callback = provider.authorize(start["Location"])
    forged = callback.replace("state=", "state=autre").removeprefix("http://testserver")
    response = client.get(forged)
    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"
    user, page = login_page(client)
    assert not user.is_authenticated
    assert "Cette connexion avec ProConnect a expiré" in page
    assert refus == [("etat_invalide", "")]


def test_a_callback_replayed_after_use_is_refused(client, db, provider, refus):
    UserFactory(email="agent@exemple.gouv.fr")
    start = client.get("/oidc/authenticate/")
    callback = provider.authorize(start["Location"]).removeprefix("http://testserver")
    client.get(callback)
    client.logout()
    assert client.get(callback)["Location"] == "/comptes/connexion/"
    assert not logged_in_user(client).is_authenticated


def test_an_unreachable_provider_gives_a_french_message(client, db, provider, settings, refus):
    UserFactory(email="agent@exemple.gouv.fr")
    start = client.get("/oidc/authenticate/")
    callback = provider.authorize(start["Location"])
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # rien n'écoute
    response = client.get(callback.removeprefix("http://testserver"))
    assert response["Location"] == "/comptes/connexion/"
    assert "ProConnect ne répond pas" in client.get("/comptes/connexion/").content.decode()
    assert refus == [("fournisseur_injoignable", "")]


def test_a_cancelled_login_at_the_provider_shows_a_message(client, db, provider, refus):
    client.get("/oidc/authenticate/")
    state = next(iter(client.session["oidc_states"]))
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state})
    assert response["Location"] == "/comptes/connexion/"
    assert state not in client.session["oidc_states"]
    assert "a été interrompue" in client.get("/comptes/connexion/").content.decode()
    assert refus == [("interrompue", "")]


# --- déconnexion ---------------------------------------------------------------------


def test_logout_of_a_proconnect_session_goes_through_the_provider(client, db, provider):
    UserFactory(email="agent@exemple.gouv.fr")
    proconnect_login(client, provider)
    id_token = client.session[oidc.ID_TOKEN_SESSION_KEY]
    response = client.post("/comptes/deconnexion/")
    url = urlsplit(response["Location"])
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.issuer}/session/end"
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/comptes/deconnexion/proconnect/"
    assert oidc.logout_state_valid(params["state"])
    assert not logged_in_user(client).is_authenticated
    back = client.get("/comptes/deconnexion/proconnect/", {"state": params["state"]})
    assert back["Location"] == "/comptes/connexion/"
    assert (
        "déconnecté de Pilotage partagé et de ProConnect"
        in client.get("/comptes/connexion/").content.decode()
    )


def test_the_provider_accepts_the_logout_request(client, db, provider):
    UserFactory(email="agent@exemple.gouv.fr")
    proconnect_login(client, provider)
    logout_url = client.post("/comptes/deconnexion/")["Location"]
    response = requests.get(logout_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(
        "http://testserver/comptes/deconnexion/proconnect/?state="
    )


def test_a_local_logout_stays_local(client, db, settings):
    settings.PROCONNECT_ENABLED = True
    client.force_login(UserFactory())
    response = client.post("/comptes/deconnexion/")
    assert response["Location"] == "/comptes/connexion/"
    assert not logged_in_user(client).is_authenticated


def test_a_forged_logout_state_gives_no_message(client, db):
    response = client.get("/comptes/deconnexion/proconnect/", {"state": "x" * 5000})
    assert response["Location"] == "/comptes/connexion/"
    assert "déconnecté" not in client.get("/comptes/connexion/").content.decode()


# --- adresses forgées et nombre de requêtes --------------------------------------------


@pytest.mark.parametrize(
    "query", ["", "?code=x", "?state=y", "?code=x&state=" + "y" * 5000, "?error=x&state=z"]
)
def test_a_forged_callback_never_gives_an_error_page(client, db, provider, query):
    response = client.get(f"/oidc/callback/{query}")
    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"


def test_an_outside_next_address_is_ignored(client, db, provider):
    UserFactory(email="agent@exemple.gouv.fr")
    response = proconnect_login(client, provider, next_url="https://ailleurs.example/")
    assert response["Location"] == "/"


def test_the_proconnect_pages_have_a_bounded_number_of_queries(
    client, db, settings, django_assert_max_num_queries
):
    settings.PROCONNECT_ENABLED = True
    with django_assert_max_num_queries(3):
        assert client.get("/comptes/connexion/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/comptes/connexion/proconnect/sans-invitation/").status_code == 403


@pytest.mark.axes
def test_proconnect_works_behind_the_login_lockout_backend(client, db, provider, settings):
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "pilotage.comptes.oidc.ProConnectBackend",
    ]
    user = UserFactory(email="agent@exemple.gouv.fr")
    assert proconnect_login(client, provider)["Location"] == "/"
    assert logged_in_user(client) == user


# --- réglages tirés de l'environnement -----------------------------------------------


def _settings_with(env: dict) -> subprocess.CompletedProcess:
    script = (
        "import json, config.settings as s; print(json.dumps([s.PROCONNECT_ENABLED, "
        "s.AUTHENTICATION_BACKENDS, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], "
        "s.OIDC_OP_JWKS_ENDPOINT, s.PROCONNECT_END_SESSION_ENDPOINT]))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("PROCONNECT_")}
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_ENV": "development", "PILOTAGE_ENV_FILE": "/nonexistent", **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )


def test_proconnect_is_enabled_from_the_environment_behind_the_lockout_backend():
    issuer = "https://fca.integ01.dev-agentconnect.fr/api/v2"
    result = _settings_with(
        {"PROCONNECT_CLIENT_ID": "id", "PROCONNECT_CLIENT_SECRET": "s", "PROCONNECT_ISSUER": issuer}
    )
    enabled, backends, form_action, jwks, end_session = json.loads(result.stdout)
    assert enabled is True
    assert backends[0] == "axes.backends.AxesStandaloneBackend"
    assert backends[-1] == "pilotage.comptes.oidc.ProConnectBackend"
    assert form_action == ["'self'", "https://fca.integ01.dev-agentconnect.fr"]
    assert jwks == f"{issuer}/jwks" and end_session == f"{issuer}/session/end"


def test_proconnect_stays_off_without_client_id_and_refuses_a_half_configuration():
    enabled, backends, form_action, _, _ = json.loads(_settings_with({}).stdout)
    assert enabled is False and "pilotage.comptes.oidc.ProConnectBackend" not in backends
    assert form_action == ["'self'"]
    result = _settings_with({"PROCONNECT_CLIENT_ID": "id"})
    assert result.returncode != 0 and "PROCONNECT_CLIENT_SECRET" in result.stderr

"""Double authentification : qui la doit, activation (QR code, premier code, codes de
secours montrés une fois), étape du code (faux code, attente, codes de secours), pages
exemptées, /admin/, HTMX, adresse de retour, « Mon compte »."""

import datetime
import logging
import re

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from pilotage.comptes import otp_services, second_factor
from pilotage.comptes.middleware import PROCONNECT_BACKEND, SESSION_NOT_EXPECTED
from pilotage.comptes.otp_views import SESSION_ENROL_KEY
from pilotage.core.formats import seconds_text
from tests.factories import UserFactory

VERIFY = "/comptes/double-authentification/"
ENROL = "/comptes/double-authentification/activer/"
CODES = "/comptes/double-authentification/codes-de-secours/"
DOWNLOAD = "/comptes/double-authentification/codes-de-secours/telecharger/"
REGENERATE = "/comptes/double-authentification/codes-de-secours/regenerer/"
DISABLE = "/comptes/double-authentification/desactiver/"
ACCOUNT = "/comptes/"
HOME = "/"


@pytest.fixture(autouse=True)
def obligation_on(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def staff(db):
    return UserFactory(email="admin@exemple.test", is_staff=True)


@pytest.fixture
def agent(db):
    """Compte local sans rôle qui exige le second facteur."""
    return UserFactory(email="agent@exemple.test")


def code_of(key: str, drift: int = 0) -> str:
    """Le code que l'application afficherait (drift=1 : celui de la période suivante,
    accepté aussi, et jamais déjà utilisé)."""
    return f"{totp(bytes.fromhex(key), drift=drift):06d}"


def enrol(user, codes=("aaaabbbb", "ccccdddd")) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="App", key=random_hex(20), confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Secours", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def verified_client(client, user):
    device = (
        enrol(user)
        if not TOTPDevice.objects.filter(user=user).exists()
        else user.totpdevice_set.get()
    )
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_of(device.key)})
    assert response.status_code == 302, response.content.decode()
    return client


# --- qui doit donner un code --------------------------------------------------------------


def test_a_staff_member_without_an_app_is_sent_to_enrol_keeping_the_page_asked(client, staff):
    client.force_login(staff)
    response = client.get("/referentiel/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Freferentiel%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{ENROL}?next=%2Freferentiel%2F"


@pytest.mark.parametrize("perimetre", ["national", "regional"])
def test_regional_and_national_accounts_must_give_a_code(client, db, perimetre, creuse):
    user = UserFactory(perimetre=perimetre, region=creuse.region)
    client.force_login(user)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_the_enrol_page_says_why_the_second_factor_is_required(client, staff, creuse):
    client.force_login(staff)
    page = client.get(ENROL).content.decode()
    assert "obligatoire pour votre compte, en raison de votre accès à l&#x27;administration" in (
        page
    )
    regional = UserFactory(perimetre="regional", region=creuse.region, is_staff=True)
    assert second_factor.reasons_for(regional) == [
        "votre accès à l'administration du site",
        f"votre périmètre régional ({creuse.region})",
    ]


def test_without_the_obligation_the_enrol_page_gives_no_reason(client, staff, settings):
    settings.OTP_REQUIRED = False
    client.force_login(staff)
    assert "obligatoire pour votre compte" not in client.get(ENROL).content.decode()


def test_an_account_without_privileges_is_not_asked_for_a_code(client, agent):
    client.force_login(agent)
    assert client.get(HOME).status_code == 200
    assert SESSION_NOT_EXPECTED in client.session


def test_the_check_costs_no_query_once_decided_for_the_session(
    client, agent, settings, django_assert_num_queries
):
    client.force_login(agent)
    client.get(HOME)  # décision prise et gardée dans la session
    settings.OTP_REQUIRED = False
    client.get(HOME)
    with CaptureQueriesContext(connection) as without_check:
        client.get(HOME)
    settings.OTP_REQUIRED = True
    with django_assert_num_queries(len(without_check)):
        assert client.get(HOME).status_code == 200


def test_a_role_registered_by_another_app_requires_a_code(client, agent):
    def is_agent(user):
        return user.email == "agent@exemple.test"

    second_factor.register(is_agent)
    try:
        client.force_login(agent)
        assert client.get(HOME)["Location"].startswith(VERIFY)
    finally:
        second_factor.REQUIREMENTS.remove(is_agent)


def test_a_role_given_during_the_session_is_checked_again_after_a_few_minutes(
    client, agent, settings
):
    client.force_login(agent)
    assert client.get(HOME).status_code == 200
    agent.is_staff = True
    agent.save()
    assert client.get(HOME).status_code == 200  # décision gardée quelques minutes
    settings.SESSION_REFRESH_SECONDS = 0
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_an_account_that_chose_a_second_factor_is_asked_for_it(client, agent):
    enrol(agent)
    client.force_login(agent)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_a_proconnect_session_is_not_asked_for_a_code(client, staff, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PROCONNECT_BACKEND]
    client.force_login(staff, backend=PROCONNECT_BACKEND)
    assert client.session[BACKEND_SESSION_KEY] == PROCONNECT_BACKEND
    assert client.get(HOME).status_code == 200


def test_without_the_obligation_demo_a_required_account_without_an_app_is_not_asked(
    client, staff, settings
):
    settings.OTP_REQUIRED = False
    client.force_login(staff)
    assert client.get(HOME).status_code == 200
    assert SESSION_NOT_EXPECTED in client.session


def test_without_the_obligation_demo_an_account_that_activated_it_is_still_asked(
    client, agent, settings
):
    settings.OTP_REQUIRED = False
    device = enrol(agent)
    client.force_login(agent)
    assert client.get(HOME)["Location"] == f"{VERIFY}?next=%2F"
    response = client.post(f"{VERIFY}?next=%2F", {"code": code_of(device.key)})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_without_the_obligation_demo_the_login_page_says_who_is_asked(client, db, settings):
    settings.OTP_REQUIRED = False
    settings.DEMO_MODE = True
    page = client.get("/comptes/connexion/").content.decode()
    assert "n'est demandée à personne" not in page
    assert "seuls les comptes qui l'ont activée" in page


@pytest.mark.parametrize(
    "url",
    [
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/comptes/mot-de-passe/oublie/",
        VERIFY,
    ],
)
def test_legal_password_reset_and_code_pages_open_without_the_code(client, staff, url):
    enrol(staff)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_logout_works_without_the_code(client, staff):
    client.force_login(staff)
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_form_sent_before_the_code_is_not_processed(client, staff):
    client.force_login(staff)
    response = client.post(ACCOUNT, {})
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_an_htmx_request_gets_hx_redirect_to_the_code_page_with_the_current_page(client, staff):
    client.force_login(staff)
    response = client.get(
        "/referentiel/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/contrats/7/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{VERIFY}?next=%2Fcontrats%2F7%2F"
    assert response.content == b""


def test_an_htmx_request_from_another_site_does_not_keep_its_address(client, staff):
    client.force_login(staff)
    response = client.get(
        "/referentiel/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://pirate.example/x"},
    )
    assert response["HX-Redirect"] == VERIFY


# --- /admin/ ------------------------------------------------------------------------------


def test_admin_is_closed_to_an_unverified_staff_member_and_open_once_verified(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    device = enrol(staff)
    response = client.post(VERIFY, {"code": code_of(device.key), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- activation ---------------------------------------------------------------------------


def test_the_enrolment_page_explains_and_shows_a_qr_code_drawn_on_the_server(client, staff):
    client.force_login(staff)
    response = client.get(ENROL)
    page = response.content.decode()
    assert response.status_code == 200
    for app in ("FreeOTP", "Aegis", "Google Authenticator", "Microsoft Authenticator"):
        assert app in page
    assert '<svg width="' in page and 'class="pilotage-qr"' in page
    assert "<img" not in page.split('id="totp-secret"')[0].split("<main")[-1]
    assert "style=" not in page
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.split()) == 8  # 32 caractères par groupes de 4
    key = client.session[SESSION_ENROL_KEY]
    # La même clé tant que l'activation n'est pas finie (page rechargée).
    assert client.get(ENROL) and client.session[SESSION_ENROL_KEY] == key
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_enrolment_with_the_app_code_activates_and_shows_ten_recovery_codes_once(client, staff):
    client.force_login(staff)
    client.get(f"{ENROL}?next=/referentiel/")
    key = client.session[SESSION_ENROL_KEY]
    response = client.post(ENROL, {"code": code_of(key), "next": "/referentiel/"})
    assert response["Location"] == f"{CODES}?next=%2Freferentiel%2F"
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.key == key
    tokens = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(tokens) == 10

    page = client.get(response["Location"]).content.decode()
    assert "ils ne seront plus affichés" in page
    assert all(token in page for token in tokens)
    download = client.get(DOWNLOAD)
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"].startswith("text/plain")
    assert all(token in download.content.decode() for token in tokens)

    refused = client.post(CODES, {"next": "/referentiel/"})
    assert refused.status_code == 400
    assert "Cochez la case" in refused.content.decode()
    done = client.post(CODES, {"noted": "on", "next": "/referentiel/"})
    assert done["Location"] == "/referentiel/"
    assert client.get("/referentiel/").status_code == 200  # session vérifiée
    again = client.get(CODES, follow=True)
    assert "ne sont montrés qu'une fois" in again.content.decode()
    assert not any(token in again.content.decode() for token in tokens)
    assert client.get(DOWNLOAD).status_code == 404


def test_a_wrong_code_at_enrolment_is_refused_with_a_french_message(client, staff, caplog):
    client.force_login(staff)
    client.get(ENROL)
    key = client.session[SESSION_ENROL_KEY]
    wrong = f"{(int(code_of(key)) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.WARNING, logger="pilotage.securite"):
        response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 400
    assert "Ce code n&#x27;est pas le bon" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert "second_facteur_echec" in caplog.text
    assert client.post(ENROL, {"code": "12ab56"}).status_code == 400


def test_the_enrolment_code_cannot_be_used_again_to_log_in(client, staff):
    client.force_login(staff)
    client.get(ENROL)
    code = code_of(client.session[SESSION_ENROL_KEY])
    client.post(ENROL, {"code": code})
    client.logout()
    client.force_login(staff)
    assert client.post(VERIFY, {"code": code}).status_code in (400, 429)


def test_an_app_cannot_be_replaced_without_a_code_of_the_current_one(client, agent):
    enrol(agent)
    client.force_login(agent)
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    with pytest.raises(PermissionDenied):
        otp_services.totp_enrolment_confirm(user=agent, key=random_hex(20), token="000000")


def test_a_verified_user_replaces_the_app_and_old_codes_stop_working(client, agent):
    old = enrol(agent)
    verified_client(client, agent)
    client.get(ENROL)
    key = client.session[SESSION_ENROL_KEY]
    assert client.post(ENROL, {"code": code_of(key)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=agent).values_list("key", flat=True)) == [key]
    assert old.key != key
    assert not StaticToken.objects.filter(token="aaaabbbb").exists()


# --- étape du code ------------------------------------------------------------------------


def test_a_good_code_opens_the_session_and_goes_to_the_page_asked(client, staff):
    device = enrol(staff)
    client.force_login(staff)
    session_before = client.session.session_key
    response = client.post(VERIFY, {"code": code_of(device.key), "next": "/referentiel/"})
    assert response["Location"] == "/referentiel/"
    assert client.session.session_key != session_before  # nouvelle session après le code
    assert client.get("/referentiel/").status_code == 200


def test_a_wrong_code_is_refused_logged_and_the_next_try_must_wait(client, staff, caplog):
    device = enrol(staff)
    client.force_login(staff)
    wrong = f"{(int(code_of(device.key)) + 500_000) % 1_000_000:06d}"
    with caplog.at_level(logging.WARNING, logger="pilotage.securite"):
        response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "Ce code n&#x27;est pas le bon" in response.content.decode()
    assert '"evenement": "second_facteur_echec"' in caplog.text
    assert wrong not in caplog.text
    # Même le bon code attend la fin du délai, et la page dit combien de temps.
    response = client.post(VERIFY, {"code": code_of(device.key)})
    assert response.status_code == 429
    assert re.search(
        r"attendez (1 seconde|\d+ secondes) avant de réessayer", response.content.decode()
    )
    # Après plusieurs échecs, le message d'un code faux dit aussi combien attendre.
    device.refresh_from_db()
    device.throttling_failure_count = 3
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=30)
    device.save()
    page = client.post(VERIFY, {"code": wrong}).content.decode()
    assert "Ce code n&#x27;est pas le bon" in page
    assert "Attendez 16 secondes avant le prochain essai." in page
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_the_wait_after_wrong_codes_is_said_in_singular_or_plural(staff, monkeypatch):
    device = enrol(staff)
    device.throttling_failure_count = 1  # essai suivant permis 2 secondes après l'échec
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    code = code_of(device.key)
    with pytest.raises(ValidationError, match="attendez 2 secondes avant de réessayer"):
        otp_services.second_factor_verify(user=staff, token=code)

    class LaterClock:  # une seconde et demie plus tard pour le message
        @staticmethod
        def now():
            return timezone.now() + datetime.timedelta(seconds=1.5)

        localtime = staticmethod(timezone.localtime)

    monkeypatch.setattr(otp_services, "timezone", LaterClock)
    with pytest.raises(ValidationError, match="attendez 1 seconde avant de réessayer"):
        otp_services.second_factor_verify(user=staff, token=code)
    assert [seconds_text(n) for n in (1, 2, 16)] == [
        "1 seconde",
        "2 secondes",
        "16 secondes",
    ]


def test_the_recovery_codes_page_without_a_second_factor_says_to_activate_it(client, agent):
    client.force_login(agent)
    response = client.get(CODES, follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    page = response.content.decode()
    assert "Activez d'abord la double authentification" in page
    assert "régénérez-en" not in page


def test_a_recovery_code_works_once_and_says_how_many_remain(client, staff):
    enrol(staff, codes=("aaaabbbb", "ccccdddd", "eeeeffff"))
    client.force_login(staff)
    response = client.post(VERIFY, {"code": "AAAA BBBB"}, follow=True)
    page = response.content.decode()
    assert "Il vous en reste 2 sur 10" in page
    assert not StaticToken.objects.filter(token="aaaabbbb").exists()
    client.logout()
    client.force_login(staff)
    assert client.post(VERIFY, {"code": "aaaabbbb"}).status_code == 400


@pytest.mark.parametrize("code", ["", "x" * 21, "12345<script>"])
def test_an_empty_too_long_or_strange_code_is_refused_without_being_checked(client, staff, code):
    enrol(staff)
    client.force_login(staff)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert TOTPDevice.objects.get(user=staff).throttling_failure_count == 0


@pytest.mark.parametrize("target", ["https://pirate.example/", "//pirate.example/", "/\\pirate"])
def test_a_next_address_on_another_site_is_refused(client, staff, target):
    device = enrol(staff)
    client.force_login(staff)
    response = client.post(VERIFY, {"code": code_of(device.key), "next": target})
    assert response["Location"] == HOME


def test_a_verified_user_visiting_the_code_page_goes_on(client, staff):
    verified_client(client, staff)
    assert client.get(f"{VERIFY}?next=/referentiel/")["Location"] == "/referentiel/"


# --- Mon compte ---------------------------------------------------------------------------


def test_my_account_shows_identity_second_factor_and_links(
    client, staff, django_assert_max_num_queries
):
    verified_client(client, staff)
    with django_assert_max_num_queries(8):
        response = client.get(ACCOUNT)
    page = response.content.decode()
    assert staff.email in page and str(staff.institution) in page
    assert "Active" in page and "Codes de secours restants : <strong>2</strong>" in page
    assert "Régénérer les codes de secours" in page
    assert "Désactiver" not in page  # obligatoire pour le personnel
    assert "/calendrier/abonnements/" in page and "/comptes/mot-de-passe/" in page
    assert 'href="/comptes/"' in page  # lien « Mon compte » de l'en-tête


def test_regenerating_recovery_codes_replaces_the_old_ones(client, staff):
    verified_client(client, staff)
    response = client.post(REGENERATE)
    assert response["Location"].startswith(CODES)
    tokens = StaticToken.objects.filter(device__user=staff)
    assert tokens.count() == 10 and not tokens.filter(token="ccccdddd").exists()


def test_regenerating_codes_needs_a_verified_session(client, agent, settings):
    settings.OTP_REQUIRED = False
    enrol(agent)
    client.force_login(agent)
    assert client.post(REGENERATE)["Location"].startswith(VERIFY)
    with pytest.raises(PermissionDenied):
        otp_services.recovery_codes_regenerate(user=agent)


def test_an_account_not_required_to_may_disable_its_second_factor(client, agent):
    verified_client(client, agent)
    assert "Désactiver" in client.get(ACCOUNT).content.decode()
    assert client.get(DISABLE).status_code == 200
    assert client.post(DISABLE)["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=agent).exists()
    assert not StaticDevice.objects.filter(user=agent).exists()
    assert client.get(HOME).status_code == 200


def test_a_required_account_cannot_disable_its_second_factor(client, staff):
    verified_client(client, staff)
    assert client.post(DISABLE)["Location"] == ACCOUNT
    assert TOTPDevice.objects.filter(user=staff).exists()
    with pytest.raises(PermissionDenied):
        otp_services.second_factor_disable(user=staff)

"""Double authentification dans Chromium : un compte du personnel se connecte, active
son application (code calculé depuis la clé affichée), note ses codes de secours, se
déconnecte, revient avec un code faux (message en français) puis avec le bon."""

import re
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp

from pilotage.comptes.otp_services import RECOVERY_CODES_COUNT

PASSWORD = "mot-de-passe-test"


@pytest.fixture
def staff(transactional_db, browser, settings):
    from tests.factories import UserFactory

    settings.OTP_REQUIRED = True
    return UserFactory(email="admin.e2e@exemple.test", is_staff=True)


def password_login(page, url, email):
    page.goto(f"{url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def code_from_page_secret(secret: str, drift: int = 0) -> str:
    key = b32decode("".join(secret.split()))
    return f"{totp(key, drift=drift):06d}"


def test_enrol_then_log_in_again_with_a_code_after_a_refused_one(page, live_server, staff):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    password_login(page, live_server.url, staff.email)
    page.wait_for_url(re.compile(r"/comptes/double-authentification/activer/\?next=%2F$"))
    assert page.locator("svg.pilotage-qr").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", code_from_page_secret(secret))
    page.get_by_role("button", name="Activer").click()

    page.wait_for_url(re.compile(r"/codes-de-secours/"))
    codes = page.locator("#codes-de-secours li").all_inner_texts()
    assert len(codes) == RECOVERY_CODES_COUNT
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger les codes").click()
    downloaded = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert all(code in downloaded for code in codes)
    page.get_by_role("button", name="Continuer").click()
    assert page.get_by_text("Cochez la case une fois les codes notés").first.is_visible()
    page.get_by_text("J'ai noté ces codes").click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("La double authentification est active").is_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/connexion/"))
    password_login(page, live_server.url, staff.email)
    page.wait_for_url(re.compile(r"/comptes/double-authentification/\?next="))
    good = code_from_page_secret(secret, drift=1)  # période suivante : jamais encore servi
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    page.get_by_label("Code à 6 chiffres, ou code de secours").fill(wrong)
    page.get_by_role("button", name="Valider le code").click()
    assert page.get_by_text("Ce code n'est pas le bon.").is_visible()
    assert "/comptes/double-authentification/" in page.url

    page.wait_for_timeout(2500)  # attente imposée après un code faux (2 secondes)
    page.get_by_label("Code à 6 chiffres, ou code de secours").fill(good)
    page.get_by_role("button", name="Valider le code").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("Mon compte")).click()
    assert page.get_by_text(f"Codes de secours restants : {RECOVERY_CODES_COUNT}").is_visible()
    assert violations == []

"""Parcours dans un vrai navigateur : Chromium de Debian piloté par Playwright.

Jamais de navigateur téléchargé : `/usr/bin/chromium` (paquet Debian `chromium`).
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# La boucle d'évènements de Playwright (API synchrone) tourne dans le fil des tests :
# Django refuserait alors l'accès à la base depuis ce fil.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Chromium est requis : apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(django_db_serialized_rollback, transactional_db):
    """Le serveur de test exige une base « transactionnelle », vidée après chaque test ;
    le retour sérialisé restaure ensuite les données chargées par les migrations."""
    from pilotage.demo.services import demo_load

    demo_load()
    from pilotage.contrats.models import Contrat

    return Contrat.objects.get(departement__code="23")


@pytest.fixture
def login(page, live_server):
    def _login(email, password="demo-pilotage-2025"):
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login

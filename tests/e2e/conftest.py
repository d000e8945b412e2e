"""Parcours dans un vrai navigateur : Chromium de Debian piloté par Playwright.

Jamais de navigateur téléchargé (pas de `playwright install`) : `/usr/bin/chromium`,
paquet Debian `chromium`. Chromium est un processus à part et le pilote Playwright
lui parle par des tubes : pytest-socket (boucle locale seulement) ne concerne que le
serveur de test, qui écoute sur 127.0.0.1.
"""

import os
import shutil
from pathlib import Path

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
PASSWORD = "demo-pilotage-2025"
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Tout test de ce dossier est un parcours navigateur (`-m e2e` / `-m "not e2e"`).

    `tryfirst` : la marque doit être posée avant la sélection par `-m`."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Chromium est requis : apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # L'API synchrone de Playwright fait tourner une boucle d'évènements dans le fil des
    # tests : Django y refuserait tout accès à la base (SynchronousOnlyOperation).
    # Posé ici plutôt qu'à l'import du module pour ne pas masquer ce contrôle dans les
    # tests hors navigateur, qui chargent aussi ce conftest à la collecte.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(django_db_serialized_rollback, transactional_db, browser):
    """Charge la démonstration (contrat de la Creuse, 17 fiches, comptes) et rend le contrat.

    Le serveur de test exige une base « transactionnelle », vidée après chaque test ;
    le retour sérialisé restaure ensuite les données chargées par les migrations
    (référentiel, départements). `browser` d'abord : l'accès à la base est alors permis
    malgré la boucle d'évènements de Playwright."""
    from pilotage.contrats.models import Contrat
    from pilotage.demo.services import demo_load

    demo_load()
    return Contrat.objects.get(departement__code="23")


@pytest.fixture
def login(page, live_server):
    """Connexion par le formulaire ; rend la page, arrivée sur « Mes contrats »."""

    def _login(email, password=PASSWORD):
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login

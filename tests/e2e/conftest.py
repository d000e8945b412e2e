"""Parcours dans un vrai navigateur : Chromium de Debian piloté par Playwright.

Jamais de navigateur téléchargé (pas de `playwright install`) : `/usr/bin/chromium`,
paquet Debian `chromium`. Chromium est un processus à part et le pilote Playwright
lui parle par des tubes : pytest-socket (boucle locale seulement) ne concerne que le
serveur de test, qui écoute sur 127.0.0.1.
"""

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Les attentes `expect(...)` attendent autant que les actions de la page (15 s, au lieu
# de 5 s par défaut) : sur la machine d'intégration (2 cœurs), une note enregistrée au
# fil de la frappe (800 ms de pause, puis l'écriture) a dépassé 5 s une fois sur des
# dizaines de passages, sans défaut de l'application.
expect.set_options(timeout=15_000)

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
#: Impacts d'axe-core, du plus grave au moins grave ; les deux premiers font échouer.
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING_IMPACTS = {"critical", "serious"}
#: Résultats d'axe-core de la session : page → règles non respectées (identifiant → impact).
A11Y_RESULTS = pytest.StashKey[dict[str, dict[str, str]]]()


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
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class AxeAudit:
    """Mesure l'accessibilité des pages avec axe-core (embarqué par axe-playwright-python,
    injecté dans la page par Playwright, sans réseau) : `audit(page, "Nom")` enregistre le
    nombre de règles non respectées par impact (tableau en fin de session) ; à la fin du
    test, `assert_no_blocking()` échoue s'il y a une violation grave ou critique, en les
    listant toutes, page par page. `E2E_AXE=/tmp/axe` y enregistre le détail de chaque
    page (`<page>.json`, éléments en cause compris)."""

    def __init__(self, results: dict[str, dict[str, str]]):
        from axe_playwright_python.sync_playwright import Axe

        self.engine = Axe()
        self.results = results
        self.blocking: dict[str, list[dict]] = {}

    def audit(self, page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        violations = self.engine.run(page).response["violations"]
        self.results[name] = {v["id"]: v["impact"] for v in violations}
        folder = os.environ.get("E2E_AXE")
        if folder:
            slug = re.sub(r"[^\w-]+", "_", name)
            (Path(folder) / f"{slug}.json").write_text(
                json.dumps(violations, ensure_ascii=False, indent=2)
            )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            self.blocking[name] = blocking

    def report(self) -> str:
        lines = []
        for name, violations in self.blocking.items():
            for v in violations:
                targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
                lines.append(f"{name} : {v['id']} ({v['impact']}) — {v['help']} — {targets}")
        return "\n".join(lines)

    def assert_no_blocking(self) -> None:
        assert not self.blocking, "Violations graves ou critiques :\n" + self.report()


@pytest.fixture
def axe(request):
    return AxeAudit(request.config.stash.setdefault(A11Y_RESULTS, {}))


def pytest_terminal_summary(terminalreporter, config):
    results = config.stash.get(A11Y_RESULTS, None)
    if not results:
        return
    width = max(len(name) for name in results) + 2

    def line(label, counts, rules=""):
        cells = "".join(f"{counts.get(i, 0):>10}" for i in IMPACTS)
        return f"{label:<{width}}{cells}  {rules}".rstrip()

    terminalreporter.section("Accessibilité (axe-core) : règles non respectées par page")
    terminalreporter.write_line(f"{'page':<{width}}" + "".join(f"{i:>10}" for i in IMPACTS))
    for name, rules in results.items():
        terminalreporter.write_line(line(name, Counter(rules.values()), " ".join(sorted(rules))))
    total = sum((Counter(rules.values()) for rules in results.values()), Counter())
    terminalreporter.write_line(line(f"total ({len(results)} pages)", total))


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

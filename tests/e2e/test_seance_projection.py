"""La séance sur l'écran de projection d'une salle de comité (1280×720) : le résumé de la
fiche et les trois encarts (éléments positifs, axes d'amélioration, décisions) se voient
ensemble ; une note qui contient des données personnelles n'atteint ni les autres
participants ni le compte rendu avant que son auteur l'ait confirmée.

`E2E_CAPTURES=/tmp` enregistre la capture de l'écran projeté (`/tmp/seance-1280.png`)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_parcours_seance import _reunion

PROJECTION = {"width": 1280, "height": 720}
AUDIT = "Mme Dupont née le 12/03/2015, tél 06 12 34 56 78"


@pytest.fixture
def projecteur(browser):
    context = browser.new_context(locale="fr-FR", viewport=PROJECTION)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _login(page, live_server, email):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "demo-pilotage-2025")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _in_viewport(page, selector) -> bool:
    box = page.locator(selector).first.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + min(box["height"], 120) <= PROJECTION["height"]
    )


def test_summary_and_the_three_boxes_are_visible_together_at_1280x720(
    demo, projecteur, live_server
):
    reunion = _reunion(demo)
    _login(projecteur, live_server, "pilote.cd@demo.pilotage.test")
    projecteur.goto(f"{live_server.url}/contrats/{demo.pk}/reunions/{reunion.pk}/seance/")
    expect(projecteur.locator("#seance-titre")).to_contain_text("Fiche action n°1")
    folder = os.environ.get("E2E_CAPTURES")
    if folder:
        projecteur.screenshot(path=str(Path(folder) / "seance-1280.png"))
    for selector in (
        ".seance-resume",
        "#encart-positifs-titre",
        "#encart-ameliorations-titre",
        "#decisions-titre",
    ):
        assert _in_viewport(projecteur, selector), f"{selector} hors de l'écran projeté"


def test_personal_data_in_a_note_is_not_shared_before_the_author_confirms(
    demo, page, browser, live_server
):
    reunion = _reunion(demo)
    seance = f"{live_server.url}/contrats/{demo.pk}/reunions/{reunion.pk}/seance/"
    _login(page, live_server, "pilote.cd@demo.pilotage.test")
    page.goto(seance)
    page.locator("#note-positifs").fill(AUDIT)
    statut = page.locator("#note-statut-positifs")
    expect(statut).to_contain_text("pas encore partagé")

    other = browser.new_context(locale="fr-FR", viewport=PROJECTION).new_page()
    _login(other, live_server, "pilote.ddets@demo.pilotage.test")
    other.goto(seance)
    expect(other.locator("#notes-autres-positifs")).not_to_contain_text("Dupont")
    cr = f"{live_server.url}/contrats/{demo.pk}/reunions/{reunion.pk}/compte-rendu/"
    other.goto(cr)
    expect(other.locator("main")).not_to_contain_text("Dupont")

    statut.get_by_role("button", name="Partager quand même").click()
    expect(statut).not_to_contain_text("pas encore partagé")
    other.goto(seance)
    expect(other.locator("#notes-autres-positifs")).to_contain_text("Mme Dupont")
    other.context.close()

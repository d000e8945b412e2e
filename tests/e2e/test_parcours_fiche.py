"""Parcours d'un référent et d'un lecteur sur les fiches du contrat de la Creuse.

`E2E_CAPTURES=/tmp` enregistre une capture de la fiche modifiée (`/tmp/fiche.png`).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ANCIEN_OBJECTIF = "Maintien du ½ poste de sage-femme"
NOUVEL_OBJECTIF = "Maintien d'un poste complet de sage-femme, élargi aux visites à domicile"


def _capture(page, name):
    folder = os.environ.get("E2E_CAPTURES")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_referent_edits_a_fiche_and_sees_the_change_in_the_history(demo, login, live_server):
    assert demo.fiches.get(numero=1).objectif_operationnel == ANCIEN_OBJECTIF
    page = login("referent@demo.pilotage.test")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes contrats")
    page.get_by_role("link", name="Creuse – 2025-2027", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Creuse")
    page.get_by_role("link", name=re.compile(r"Fiche n°1 –")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche action n°1")

    page.get_by_role("link", name="Modifier la fiche").click()
    objectif = page.locator("textarea[name=objectif_operationnel]")
    expect(objectif).to_have_value(ANCIEN_OBJECTIF)
    objectif.fill(NOUVEL_OBJECTIF)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(f"{live_server.url}/contrats/{demo.pk}/fiches/1/")
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "Vos modifications ont été enregistrées."
    )
    fiche = page.locator(".fiche-officielle")
    expect(fiche.locator("tr", has_text="Objectif opérationnel")).to_contain_text(NOUVEL_OBJECTIF)
    expect(fiche).not_to_contain_text(ANCIEN_OBJECTIF)
    _capture(page, "fiche.png")

    page.get_by_role("link", name="Historique").click()
    expect(
        page.get_by_role("heading", level=2, name="Historique des modifications")
    ).to_be_visible()
    revision = page.locator(".revision").filter(has_text="Romane Référente").first
    row = revision.locator("tr", has_text="Objectif opérationnel")
    # Ce qu'on voit à l'écran (sans les mentions « [supprimé : …] » des lecteurs d'écran),
    # mots changés surlignés.
    assert _visible_text(row.locator(".ancienne")) == ANCIEN_OBJECTIF
    assert _visible_text(row.locator(".nouvelle")) == NOUVEL_OBJECTIF
    expect(row.locator(".ancienne del").first).to_be_visible()
    expect(row.locator(".nouvelle ins").first).to_be_visible()


def _visible_text(cell) -> str:
    return " ".join(
        cell.evaluate(
            """(cell) => { const copy = cell.cloneNode(true);
                copy.querySelectorAll('.fr-sr-only').forEach((e) => e.remove());
                return copy.textContent; }"""
        ).split()
    )


def test_filtering_late_fiches_updates_the_list_without_reloading_the_page(
    demo, login, live_server
):
    page = login("pilote.cd@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/")
    liste = page.locator("#liste-fiches")
    expect(liste).to_contain_text("17 fiches sur 17")
    expect(liste.locator("li")).to_have_count(17)
    page.evaluate("window.__sans_rechargement = true")

    with page.expect_response(lambda r: "etat=retard" in r.url) as reponse:
        page.get_by_label("État").select_option("retard")
    assert reponse.value.request.headers.get("hx-request") == "true"

    expect(liste).not_to_contain_text("17 fiches sur 17")
    expect(page).to_have_url(re.compile(r"[?&]etat=retard(&|$)"))
    compte = liste.locator("p", has_text=re.compile(r"fiches? sur 17"))
    match = re.search(r"(\d+) fiches? sur 17", compte.inner_text())
    assert match, compte.inner_text()
    nombre = int(match.group(1))
    assert 0 < nombre < 17
    expect(liste.locator("li")).to_have_count(nombre)
    for item in liste.locator("li").all():
        expect(item).to_contain_text("En retard")
    # Même document : la variable posée avant le filtre a survécu (pas de rechargement).
    assert page.evaluate("window.__sans_rechargement") is True
    expect(page.get_by_label("État")).to_have_value("retard")


def test_reader_sees_no_edit_button(demo, login, live_server):
    page = login("lecteur@demo.pilotage.test")
    page.get_by_role("link", name="Creuse – 2025-2027", exact=True).click()
    page.get_by_role("link", name=re.compile(r"Fiche n°1 –")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche action n°1")
    expect(page.get_by_role("link", name="Historique")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)

    # Et l'adresse du formulaire, tapée à la main, est refusée.
    response = page.goto(f"{live_server.url}/contrats/{demo.pk}/fiches/1/modifier/")
    assert response.status == 403

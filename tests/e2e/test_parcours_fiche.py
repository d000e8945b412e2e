"""Parcours d'un référent et d'un lecteur sur les fiches du contrat de la Creuse."""

import re

from playwright.sync_api import expect


def test_referent_edits_a_fiche_and_sees_the_change_in_the_history(demo, login, live_server):
    page = login("referent@demo.pilotage.test")
    page.get_by_role("link", name=re.compile("Creuse")).click()
    page.get_by_role("link", name=re.compile("Fiche n°1 –")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche action n°1")
    page.get_by_role("link", name="Modifier la fiche").click()
    page.fill("textarea[name=objectif_operationnel]", "Maintien d'un poste complet de sage-femme")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("enregistrées")
    expect(page.locator(".fiche-officielle")).to_contain_text(
        "Maintien d'un poste complet de sage-femme"
    )
    page.get_by_role("link", name="Historique").click()
    row = page.locator("tr", has_text="Objectif opérationnel").first
    expect(row).to_contain_text("Maintien du ½ poste de sage-femme")
    expect(row).to_contain_text("Maintien d'un poste complet de sage-femme")
    expect(page.locator(".revision caption").first).to_contain_text("Romane Référente")


def test_filtering_late_fiches_updates_the_list_without_reloading_the_page(
    demo, login, live_server
):
    page = login("pilote.cd@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/")
    expect(page.locator("#liste-fiches")).to_contain_text("17 fiches sur 17")
    page.evaluate("window.__sans_rechargement = true")
    page.select_option("select[name=etat]", "retard")
    expect(page.locator("#liste-fiches")).not_to_contain_text("17 fiches sur 17")
    expect(page).to_have_url(re.compile(r"etat=retard"))
    assert page.evaluate("window.__sans_rechargement") is True
    expect(page.locator("#liste-fiches")).to_contain_text("Fiche n°1")
    expect(page.locator("#liste-fiches")).not_to_contain_text("Fiche n°12 –")


def test_reader_sees_no_edit_button(demo, login, live_server):
    page = login("lecteur@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/fiches/1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche action n°1")
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)

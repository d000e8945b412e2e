"""Parcours du niveau national (issue 15), démonstration : depuis l'accueil, la vue
nationale ; la carte change de mesure ; la vue régionale d'une région et le tri de son
tableau (HTMX) ; la comparaison d'un indicateur national et son classeur XLSX téléchargé.
axe-core sur la vue nationale, la vue régionale, la liste des indicateurs et la page d'un
indicateur."""

import io
import re

import openpyxl
from playwright.sync_api import expect


def test_the_national_user_browses_the_national_view_and_downloads_an_indicator(
    demo, login, page, axe
):
    login("national@demo.pilotage.test")
    page.locator("#tuile-vue-consolidee").get_by_role("link", name="Vue nationale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vue nationale")
    expect(page.locator("#carte-tableau caption")).to_contain_text("Part des fiches en retard")
    axe.audit(page, "Vue nationale")

    page.get_by_label("Colorer la carte selon").select_option("reunion")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"mesure=reunion"))
    expect(page.locator("#carte-tableau caption")).to_contain_text(
        "Réunion tenue dans les 8 derniers mois"
    )
    creuse = page.locator("svg.carte-departements a[aria-label^='Creuse (23)']")
    expect(creuse).to_have_count(1)

    page.get_by_role("link", name="vue régionale").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vue régionale")
    axe.audit(page, "Vue régionale")
    # Tri par un en-tête : le tableau seul est remplacé (HTMX), l'adresse suit.
    page.get_by_role("link", name=re.compile("^En retard")).click()
    expect(page).to_have_url(re.compile(r"tri=retard"))
    expect(page.locator("#tableau-contrats th[aria-sort='ascending']")).to_contain_text("En retard")

    page.get_by_role("navigation").get_by_role("link", name="Indicateurs comparés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs nationaux comparés")
    axe.audit(page, "Indicateurs nationaux comparés")
    premier = page.locator("table tbody th a").first
    libelle = premier.inner_text()
    premier.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(libelle)
    axe.audit(page, "Indicateur national comparé")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    valeurs = list(workbook["Valeurs par département"].iter_rows(values_only=True))
    assert len(valeurs) == 1 + 101
    assert {row[0] for row in valeurs[1:]} == {libelle}
    axe.assert_no_blocking()

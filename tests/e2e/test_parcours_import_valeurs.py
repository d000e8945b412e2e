"""Parcours d'import des valeurs d'indicateurs : depuis la page du contrat, télécharger le
tableur modèle, le compléter, le déposer, lire l'aperçu (reconnu, non reconnu), confirmer
au clavier, retrouver la valeur sur la fiche ; axe-core sur le dépôt et l'aperçu."""

import io
import re

import openpyxl
from playwright.sync_api import expect


def test_pilot_imports_a_spreadsheet_of_values_from_the_contract_page(
    demo, login, live_server, tmp_path, axe
):
    page = login("pilote.cd@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/")
    page.get_by_role("link", name="Importer des valeurs (tableur)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des valeurs d'indicateurs")
    axe.audit(page, "Import des valeurs : dépôt")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("tableur modèle")).click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.active
    fiche, indicateur = sheet.cell(2, 1).value, sheet.cell(2, 2).value
    sheet.cell(2, 3, 2026)
    sheet.cell(2, 5, "45,5")
    sheet.cell(2, 8, "Tableau de bord du CD (essai)")
    sheet.append(["99", "Indicateur d'une fiche absente", 2026, "", 5])
    filled = tmp_path / "valeurs-creuse.xlsx"
    book.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="Lire le tableur").click()
    expect(page.locator("#resume-import")).to_contain_text("1 valeur à enregistrer")
    expect(page.locator("#resume-import")).to_contain_text("1 ligne non importée")
    expect(page.locator("#apercu-valeurs")).to_contain_text("Aucune fiche n°« 99 »")
    axe.audit(page, "Import des valeurs : aperçu")

    button = page.get_by_role("button", name="Enregistrer 1 valeur")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".fr-alert--success")).to_contain_text("1 valeur d'indicateur enregistrée")

    page.goto(f"{live_server.url}/contrats/{demo.pk}/fiches/{fiche.split('-')[0]}/indicateurs/")
    expect(page.locator("main")).to_contain_text(indicateur[:40])
    expect(page.locator("main")).to_contain_text("Tableau de bord du CD (essai)")
    expect(page.locator("main")).to_contain_text("45,5")
    axe.assert_no_blocking()

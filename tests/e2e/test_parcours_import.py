"""Parcours d'import : déposer un document Word, vérifier l'aperçu, confirmer, voir les fiches."""

import re

from playwright.sync_api import expect

from tests.documents.docx_builder import FicheSpec, build_docx


def test_pilot_imports_a_word_document_and_sees_the_new_fiches(
    demo, login, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = tmp_path / "fiches-loir-et-cher.docx"
    document.write_bytes(
        build_docx(
            [
                FicheSpec(
                    numero=3,
                    objectif_line="OBJECTIF N°7 (obligatoire)",
                    titre="Développer l'accueil familial de proximité",
                    departement_line="Département concerné : Conseil départemental de Loir-et-Cher",
                    moyens=["Financement Etat : 12 000 € Financement CD : 12 000 € (valorisation)"],
                ),
                FicheSpec(
                    numero=4,
                    objectif_line="OBJECTIFS N°1 et 2 (obligatoires)",
                    titre="Renforcer les visites à domicile prénatales",
                ),
            ]
        )
    )
    page = login("pilote.41@demo.pilotage.test")
    page.get_by_role("link", name=re.compile("^Loir-et-Cher")).click()
    expect(page.locator("#liste-fiches")).to_contain_text("2 fiches sur 2")
    page.get_by_role("link", name="Importer des fiches (Word)").click()
    page.set_input_files("input[type=file]", str(document))
    page.get_by_role("button", name="Lire le document").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'import")
    expect(page.locator(".fr-text--lead")).to_contain_text("2 à créer")
    expect(page.locator("#apercu-fiche-3")).to_contain_text("12 000 €")
    page.get_by_role("button", name="Importer 2 fiches").click()

    expect(page.locator(".fr-alert--success")).to_contain_text("2 fiche(s) créée(s)")
    expect(page.locator("#liste-fiches")).to_contain_text("4 fiches sur 4")
    page.get_by_role("link", name=re.compile("Fiche n°3 –")).click()
    expect(page.locator(".fiche-officielle")).to_contain_text(
        "Développer l'accueil familial de proximité"
    )
    page.get_by_role("link", name="Historique").click()
    expect(page.locator(".revision caption").first).to_contain_text("fiches-loir-et-cher.docx")
    expect(page.get_by_role("link", name="Télécharger le document importé")).to_be_visible()

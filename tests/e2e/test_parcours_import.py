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


FICHE_PDF = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 4pt; text-align: left; vertical-align: top; }
</style></head><body>
<p>OBJECTIF N°7 (obligatoire)</p><p>FICHE ACTION N°5</p>
<p>Créer un accueil de jour pour les adolescents en rupture (fictif)</p>
<table>
<tr><th>Département concerné</th><td>Conseil départemental de Loir-et-Cher</td></tr>
<tr><th>Référent (personne ou institution)</th><td>Direction de l'enfance</td></tr>
<tr><th>Points de vigilance</th><td>Recrutement des éducateurs</td></tr>
</table></body></html>"""


def test_a_pdf_is_read_in_the_background_and_the_waiting_page_becomes_the_preview(
    demo, login, live_server, tmp_path, settings, axe, tasks_worker
):
    """PDF publié : la lecture attend le travailleur ; la page d'attente l'annonce, puis
    devient d'elle-même (HTMX) l'aperçu quand la lecture est finie."""
    from weasyprint import HTML

    settings.MEDIA_ROOT = tmp_path / "media"
    document = tmp_path / "deliberation-loir-et-cher.pdf"
    document.write_bytes(HTML(string=FICHE_PDF).write_pdf())
    page = login("pilote.41@demo.pilotage.test")
    page.get_by_role("link", name=re.compile("^Loir-et-Cher")).click()
    page.get_by_role("link", name="Importer des fiches (Word)").click()
    page.set_input_files("input[type=file]", str(document))
    page.get_by_role("button", name="Lire le document").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lecture du document")
    expect(page.get_by_role("status")).to_contain_text("En attente de lecture")
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    axe.audit(page, "Import : lecture du document en cours")
    tasks_worker()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'import")
    expect(page.locator("#avertissements")).to_contain_text("lecture d'un PDF est approximative")
    page.get_by_role("button", name="Importer 1 fiche").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("1 fiche(s) créée(s)")
    axe.assert_no_blocking()

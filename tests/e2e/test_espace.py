"""Parcours de l'espace partagé (issue 16) : une personne du niveau régional ouvre
l'espace de sa région depuis le menu, y publie une ressource avec un document Word,
la retrouve et la télécharge, puis lit les propositions de l'espace national ; axe-core
sur l'accueil de l'espace, le formulaire de publication, la page de la ressource, la
liste des propositions et une proposition avec sa réponse."""

import io

import docx
from playwright.sync_api import expect


def _docx(path, texte: str) -> None:
    document = docx.Document()
    document.add_heading("Trame d'animation d'une réunion de suivi", level=1)
    document.add_paragraph(texte)
    document.save(path)


def test_a_regional_user_publishes_a_docx_resource_and_downloads_it(
    demo, login, page, axe, tmp_path
):
    login("regional@demo.pilotage.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Espace partagé"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace partagé")
    page.get_by_role("link", name="Espace régional – Nouvelle-Aquitaine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Espace régional – Nouvelle-Aquitaine"
    )
    expect(page.locator("main")).to_contain_text("exemple inventé")
    axe.audit(page, "Espace partagé : accueil d'un espace")

    page.get_by_role("link", name="Publier une ressource").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publier une ressource")
    fichier = tmp_path / "trame-reunion.docx"
    _docx(fichier, "Tour de table des institutions puis revue des actions à impact.")
    page.get_by_label("Titre").fill("Trame d'animation d'une réunion de suivi")
    page.get_by_label("Rubrique").select_option(label="Outils pratiques")
    page.get_by_label("Résumé").fill("Une trame en trois temps pour animer la réunion.")
    page.locator("input[name=fichier]").set_input_files(str(fichier))
    axe.audit(page, "Espace partagé : publier une ressource")
    page.get_by_role("button", name="Publier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Trame d'animation d'une réunion de suivi"
    )
    expect(page.locator(".fr-alert--success")).to_contain_text("La ressource est publiée")
    axe.audit(page, "Espace partagé : ressource")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger trame-reunion.docx").click()
    assert download.value.suggested_filename == "trame-reunion.docx"
    document = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    assert any("actions à impact" in p.text for p in document.paragraphs)

    page.get_by_role("link", name="Retour à l'espace").click()
    expect(page.locator("main")).to_contain_text("Trame d'animation d'une réunion de suivi")

    # L'espace national, lu par tous : ses propositions et la réponse faite à l'une d'elles.
    page.get_by_role("link", name="Espace partagé", exact=True).first.click()
    page.get_by_role("link", name="Espace national").click()
    page.get_by_role("link", name="Voir et faire une proposition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Propositions d'amélioration")
    axe.audit(page, "Espace partagé : propositions")
    page.get_by_role("link", name="Ajouter une vue calendaire de la fiche action").click()
    expect(page.locator("main")).to_contain_text("proposition 4")
    axe.audit(page, "Espace partagé : proposition")
    axe.assert_no_blocking()

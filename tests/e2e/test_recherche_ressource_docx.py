"""Parcours de la recherche dans le texte d'un fichier (issue 16, « Done when ») : une
personne du niveau régional publie dans l'espace de sa région une ressource avec un
document Word dont un mot n'est que dans le corps du fichier, le cherche depuis la barre
de l'en-tête (touche Entrée), voit la ressource avec le passage surligné, l'ouvre et
télécharge le fichier ; axe-core sur la page de résultats."""

import io
import re

import docx
from playwright.sync_api import expect

#: Le mot cherché : dans le corps du document seulement, ni dans le titre ni le résumé.
MOT = "hippocampe"
TITRE = "Fiche de relevé commentée"


def _docx(path) -> bytes:
    document = docx.Document()
    document.add_heading("Relevé qualitatif : exemple commenté", level=1)
    document.add_paragraph(
        f"Exemple inventé : l'atelier « {MOT} » réunit chaque mois les familles d'accueil "
        "et les éducateurs du service."
    )
    document.save(path)
    return path.read_bytes()


def test_une_ressource_se_trouve_par_un_mot_de_son_fichier_et_se_telecharge(
    demo, login, page, axe, tmp_path
):
    login("regional@demo.pilotage.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Espace partagé"
    ).click()
    page.get_by_role("link", name="Espace régional – Nouvelle-Aquitaine").click()
    page.get_by_role("link", name="Publier une ressource").click()
    fichier = tmp_path / "releve-commente.docx"
    octets = _docx(fichier)
    page.get_by_label("Titre").fill(TITRE)
    page.get_by_label("Rubrique").select_option(label="Modèles")
    page.get_by_label("Résumé").fill("Un relevé rempli, avec les remarques du groupe de travail.")
    page.locator("input[name=fichier]").set_input_files(str(fichier))
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La ressource est publiée")

    # La barre de l'en-tête, au clavier : le mot puis Entrée.
    champ = page.get_by_role("search").get_by_label("Rechercher dans le service")
    champ.fill(MOT)
    champ.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    expect(page.get_by_role("status")).to_contain_text(f"1 résultat pour « {MOT} »")
    groupe = page.get_by_role("heading", name="Ressources (1)")
    section = page.locator("section", has=groupe)
    lien = section.get_by_role("link", name=re.compile(f"^{TITRE} – Espace régional"))
    expect(lien).to_be_visible()
    expect(section.locator("mark")).to_have_text(MOT)
    axe.audit(page, "Recherche : ressource trouvée par le texte de son fichier")

    lien.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITRE)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger releve-commente.docx").click()
    assert telechargement.value.suggested_filename == "releve-commente.docx"
    recu = telechargement.value.path().read_bytes()
    assert recu == octets
    document = docx.Document(io.BytesIO(recu))
    assert any(MOT in p.text for p in document.paragraphs)
    axe.assert_no_blocking()

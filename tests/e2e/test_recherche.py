"""Parcours de la recherche (issue 16) : la barre de l'en-tête mène aux résultats rangés
par sorte, passage surligné, puis à la fiche trouvée ; axe-core sur la page de résultats."""

import re

from playwright.sync_api import expect


def test_chercher_depuis_l_en_tete_et_ouvrir_une_fiche(demo, login, page, axe):
    login("pilote.cd@demo.pilotage.test")
    barre = page.get_by_role("search")
    barre.get_by_label("Rechercher dans le service").fill("enfants")
    barre.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    groupe = page.get_by_role("heading", name=re.compile(r"^Fiches actions \(\d+\)$"))
    expect(groupe).to_be_visible()
    expect(page.locator("main mark").first).to_be_visible()
    axe.audit(page, "Recherche : résultats")
    page.locator("section", has=groupe).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fiche action n°")

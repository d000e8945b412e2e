"""La recherche de l'en-tête sur petit écran (375×667) : la barre est repliée, le bouton
« Rechercher » de l'en-tête l'ouvre (modale DSFR), la question part avec Entrée."""

import re

from playwright.sync_api import expect


def test_sur_petit_ecran_le_bouton_rechercher_ouvre_la_barre(demo, login, page):
    login("pilote.cd@demo.pilotage.test")
    page.set_viewport_size({"width": 375, "height": 667})
    champ = page.get_by_role("search").get_by_label("Rechercher dans le service")
    expect(champ).to_be_hidden()
    bouton = page.locator(".fr-header__navbar").get_by_role("button", name="Rechercher")
    expect(bouton).to_be_visible()
    bouton.click()
    expect(bouton).to_have_attribute("data-fr-opened", "true")
    expect(champ).to_be_visible()
    champ.fill("enfants")
    champ.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Fiches actions \(\d+\)$"))
    ).to_be_visible()

    # Sur grand écran, la barre est dans l'en-tête et le bouton n'apparaît pas.
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(bouton).to_be_hidden()
    expect(champ).to_be_visible()

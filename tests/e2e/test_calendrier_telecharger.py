"""Sur un écran de 1280×720 : la vue calendaire d'une fiche ne fait défiler de côté que son
tableau, première colonne figée, ouvert sur la dernière réunion ; le menu « Télécharger »
de la page du contrat s'ouvre, se parcourt et se ferme au clavier.

`E2E_CAPTURES=/tmp` enregistre les captures (`/tmp/calendrier-1280.png`)."""

import os
from pathlib import Path

from playwright.sync_api import expect

_LAYOUT = """() => {
  const region = document.querySelector(".cal-defilement");
  const coin = region.querySelector("th.cal-coin").getBoundingClientRect();
  const cols = region.querySelectorAll("th[data-reunion]");
  const derniere = cols[cols.length - 1].getBoundingClientRect();
  const box = region.getBoundingClientRect();
  return {
    pageScrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    regionScrollable: region.scrollWidth > region.clientWidth,
    scrollLeft: region.scrollLeft,
    coinLeft: coin.left, coinRight: coin.right, regionLeft: box.left, regionRight: box.right,
    regionHeight: box.height, viewportHeight: window.innerHeight,
    derniereLeft: derniere.left, derniereRight: derniere.right,
  };
}"""


def test_the_calendar_scrolls_inside_its_table_from_the_latest_meeting(demo, login, page):
    login("pilote.cd@demo.pilotage.test")
    page.goto(page.url + f"contrats/{demo.pk}/fiches/1/calendrier/")
    expect(page.locator("th[data-reunion]").first).to_be_visible()
    layout = page.evaluate(_LAYOUT)
    assert layout["pageScrollWidth"] <= layout["viewport"], layout  # la page ne défile pas
    assert layout["regionScrollable"] and layout["scrollLeft"] > 0, layout
    # La dernière réunion est entière à l'écran, juste après la première colonne.
    assert layout["derniereLeft"] >= layout["coinRight"] - 1, layout
    assert layout["derniereRight"] <= layout["regionRight"] + 1, layout
    # Première colonne figée : toujours au bord gauche du tableau défilé.
    assert abs(layout["coinLeft"] - layout["regionLeft"]) <= 1, layout
    page.locator(".cal-defilement").evaluate("el => { el.scrollLeft = 0; }")
    after = page.evaluate(_LAYOUT)
    assert abs(after["coinLeft"] - after["regionLeft"]) <= 1, after
    # Le tableau tient dans la hauteur de l'écran : ses barres de défilement sont visibles.
    assert layout["regionHeight"] <= layout["viewportHeight"], layout
    page.locator(".cal-defilement").evaluate("el => { el.scrollTop = 200; }")
    page.locator(".cal-defilement").scroll_into_view_if_needed()
    entete = page.locator("th.cal-coin").bounding_box()
    region = page.locator(".cal-defilement").bounding_box()
    # Ligne d'en-tête figée en haut du tableau, sous la légende (marge du DSFR).
    marge = page.locator(".cal-defilement").evaluate(
        "el => parseFloat(getComputedStyle(el).paddingTop)"
    )
    assert abs(entete["y"] - (region["y"] + marge)) <= 1, (entete, region, marge)
    if folder := os.environ.get("E2E_CAPTURES"):
        page.screenshot(path=str(Path(folder) / "calendrier-1280.png"))


def test_the_download_menu_works_with_the_keyboard(demo, login, page):
    login("lecteur@demo.pilotage.test")
    page.goto(page.url + f"contrats/{demo.pk}/")
    summary = page.locator("#menu-telecharger > summary")
    word = page.get_by_role("link", name="Word (.docx)")
    expect(word).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(word).to_be_visible()
    page.keyboard.press("Tab")
    expect(word).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Excel (.xlsx)")).to_be_focused()
    page.keyboard.press("Escape")
    expect(word).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Space")
    expect(word).to_be_visible()
    page.keyboard.press("Tab")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".docx")

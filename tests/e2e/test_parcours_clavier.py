"""Au clavier seulement (Tab, Entrée, Espace, flèches) : un pilote mène une séance et
consigne une décision, un contributeur rédige un relevé. À chaque arrêt du focus,
l'élément atteint est visible et son focus se voit (contour du DSFR)."""

import re

from playwright.sync_api import expect

from tests.e2e.test_parcours_seance import _reunion

#: Au-delà, l'élément cherché n'est pas atteignable au clavier (ou trop loin).
MAX_TABS = 80

_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 80),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
  };
}"""


def _focus(page) -> dict:
    state = page.evaluate(_FOCUS_STATE)
    assert state is not None, "Le focus est perdu (sur le corps de la page)."
    return state


def _assert_focus_visible(state: dict) -> None:
    where = f"<{state['tag']} id={state['id']!r} name={state['name']!r}> « {state['text']} »"
    assert state["visible"], f"Focus sur un élément invisible : {where}"
    if state["type"] == "date":
        # Chromium : passé le premier segment (jour), `:focus-visible` ne s'applique plus à
        # l'hôte ; le segment actif est alors surligné par le navigateur lui-même.
        return
    assert state["focusVisible"] and (state["outline"] or state["shadow"]), (
        f"Focus sans indicateur visible : {where}"
    )


def _tab_to(page, matches, label: str) -> dict:
    """Tab jusqu'à l'élément voulu ; chaque élément traversé montre son focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = _focus(page)
        _assert_focus_visible(state)
        if matches(state):
            return state
    raise AssertionError(f"{label} : pas atteint en {MAX_TABS} tabulations.")


def _select_by_keyboard(page, selector: str, value: str) -> None:
    """Liste déroulante fermée : la flèche bas passe à l'option suivante."""
    for _ in range(30):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"Option {value!r} introuvable au clavier dans {selector}.")


def test_pilot_runs_a_session_with_the_keyboard_only(demo, login, live_server):
    reunion = _reunion(demo)
    page = login("pilote.cd@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/reunions/{reunion.pk}/seance/")
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 1 sur 3")

    # Premier arrêt : le lien d'évitement vers la fiche ; Entrée y porte le focus.
    page.keyboard.press("Tab")
    state = _focus(page)
    _assert_focus_visible(state)
    assert state["text"] == "Aller à la fiche"
    page.keyboard.press("Enter")
    expect(page.locator("#seance-titre")).to_be_focused()

    # Fiche suivante au clavier, puis une note dans « éléments positifs ».
    page.keyboard.press("ArrowRight")
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 2 sur 3")
    expect(page.locator("#seance-titre")).to_contain_text("Fiche action n°2")
    page.locator("#seance-titre").focus()  # HTMX a remplacé la fiche : on repart du titre
    _tab_to(page, lambda s: s["id"] == "note-positifs", "Note « éléments positifs »")
    page.keyboard.type("Les familles repérées sont orientées vers la PMI.")
    expect(page.locator("#note-statut-positifs")).to_contain_text("Enregistré à")

    # Une décision « autre », consignée avec la touche Espace sur le bouton.
    _tab_to(page, lambda s: s["tag"] == "select", "Type de décision")
    categorie = page.get_by_label("Type de décision")
    _select_by_keyboard(page, f"#{categorie.get_attribute('id')}", "autre")
    _tab_to(page, lambda s: s["tag"] == "textarea", "Texte de la décision")
    page.keyboard.type("Présenter au prochain comité le bilan des orientations.")
    _tab_to(page, lambda s: s["text"] == "Consigner la décision", "Consigner la décision")
    page.keyboard.press("Space")
    decision = page.locator(".decision", has_text="bilan des orientations")
    expect(decision).to_be_visible()
    # Annoncée une seule fois aux lecteurs d'écran (pas aussi dans la décision ajoutée).
    expect(page.get_by_role("status").filter(has_text="Décision consignée.")).to_have_count(1)


def test_contributor_writes_a_releve_with_the_keyboard_only(demo, login, live_server):
    page = login("contributeur@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/fiches/1/releves/nouveau/")

    # Les liens d'évitement d'abord : contenu, menu, pied de page.
    for label in ("Aller au contenu", "Aller au menu", "Aller au pied de page"):
        page.keyboard.press("Tab")
        state = _focus(page)
        _assert_focus_visible(state)
        assert state["text"] == label
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # « Aller au contenu »
    expect(page).to_have_url(re.compile(r"#content$"))

    _tab_to(page, lambda s: s["name"] == "indicateur", "Indicateur observé")
    page.keyboard.press("ArrowDown")
    assert page.locator("select[name=indicateur]").input_value() != ""
    _tab_to(page, lambda s: s["name"] == "date_observation", "Date d'observation")
    page.keyboard.type("11112026")  # jour = mois : quel que soit l'ordre des segments
    expect(page.locator("input[name=date_observation]")).to_have_value("2026-11-11")
    _tab_to(page, lambda s: s["name"] == "situation", "Situation observée")
    page.keyboard.type("Atelier parents-enfants en salle d'attente")
    _tab_to(page, lambda s: s["name"] == "questions", "Questions-clés")
    page.keyboard.type("Les familles sont-elles écoutées et orientées ?")
    _tab_to(page, lambda s: s["name"] == "faits", "Faits constatés")
    page.keyboard.type("Douze familles présentes.")
    _tab_to(page, lambda s: s["text"] == "Enregistrer le brouillon", "Enregistrer le brouillon")
    page.keyboard.press("Enter")

    expect(page.locator(".fr-alert--success")).to_contain_text("brouillon")
    expect(page).to_have_url(re.compile(r"/releves/\d+/(#content)?$"))
    expect(page.locator(".fiche-officielle")).to_contain_text("Douze familles présentes.")

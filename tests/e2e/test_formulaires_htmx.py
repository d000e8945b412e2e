"""Formulaires HTMX : le message de validation du serveur (réponse 400) s'affiche en place,
sans recharger la page (il était reçu puis jeté par HTMX)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_zero_denominator_is_explained_in_place(demo, login, live_server):
    fiche = next(
        f
        for f in demo.fiches.order_by("numero")
        if f.indicateurs.filter(nature="quantitatif").exists()
    )
    indicateur = fiche.indicateurs.filter(nature="quantitatif").first()
    page = login("pilote.cd@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{demo.pk}/fiches/{fiche.numero}/indicateurs/")
    bloc = page.locator(f"#indicateur-{indicateur.pk}")
    bloc.locator("summary", has_text="Saisir une valeur").click()
    prefix = f"i{indicateur.pk}"
    bloc.locator(f"[name={prefix}-annee]").fill("2026")
    bloc.locator(f"[name={prefix}-numerateur]").fill("3")
    bloc.locator(f"[name={prefix}-denominateur]").fill("0")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        bloc.get_by_role("button", name="Enregistrer la valeur").click()
    assert posted.value.status == 400
    expect(page.locator(f"#indicateur-{indicateur.pk}")).to_contain_text(
        "Le dénominateur doit être supérieur à zéro."
    )

"""Deux personnes modifient la même fiche : la seconde est prévenue, rien n'est écrasé."""

from playwright.sync_api import expect


def _open_edit(browser, live_server, email, contrat_pk):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "demo-pilotage-2025")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/contrats/{contrat_pk}/fiches/2/modifier/")
    return context, page


def test_second_save_is_refused_and_shows_the_other_change(demo, browser, live_server):
    ctx_a, pilote = _open_edit(browser, live_server, "pilote.cd@demo.pilotage.test", demo.pk)
    ctx_b, referente = _open_edit(browser, live_server, "referent@demo.pilotage.test", demo.pk)
    try:
        pilote.fill("textarea[name=objectif_operationnel]", "Version de la pilote")
        pilote.get_by_role("button", name="Enregistrer").click()
        expect(pilote.locator(".fr-alert--success")).to_be_visible()

        referente.fill("textarea[name=objectif_operationnel]", "Version de la référente")
        referente.get_by_role("button", name="Enregistrer").click()
        expect(referente.locator("#conflit")).to_contain_text(
            "Vos modifications n'ont pas été enregistrées"
        )
        expect(referente.locator(".revision").first).to_contain_text("Version de la pilote")
        expect(referente.locator(".revision caption").first).to_contain_text("Camille Pilote-CD")
        # La saisie de la référente est conservée dans le formulaire.
        expect(referente.locator("textarea[name=objectif_operationnel]")).to_have_value(
            "Version de la référente"
        )
        demo.fiches.get(numero=2).refresh_from_db()
        assert demo.fiches.get(numero=2).objectif_operationnel == "Version de la pilote"
    finally:
        ctx_a.close()
        ctx_b.close()

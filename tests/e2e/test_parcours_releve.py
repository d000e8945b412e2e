"""Un relevé rédigé par un contributeur, relu par un collègue, validé, puis vu par une autre institution."""

import re

from playwright.sync_api import expect


def _session(browser, live_server, email):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "demo-pilotage-2025")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_releve_goes_from_draft_to_shared_and_another_institution_sees_it(
    demo, browser, live_server
):
    base = f"{live_server.url}/contrats/{demo.pk}"
    ctx, page = _session(browser, live_server, "contributeur@demo.pilotage.test")
    page.goto(f"{base}/fiches/1/releves/")
    page.get_by_role("link", name="Nouveau relevé").click()
    page.select_option("select[name=indicateur]", index=1)
    page.fill("input[name=date_observation]", "2026-11-02")
    page.fill("input[name=situation]", "Atelier parents-enfants en salle d'attente")
    page.fill("textarea[name=questions]", "Les familles sont-elles écoutées et orientées ?")
    page.fill(
        "textarea[name=faits]", "Douze familles présentes ; « on revient la semaine prochaine »."
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("brouillon")
    releve_url = page.url
    ctx.close()

    ctx, page = _session(browser, live_server, "referent@demo.pilotage.test")
    page.goto(releve_url)
    page.get_by_role("button", name="Marquer comme relu").click()
    expect(page.locator(".etapes")).to_contain_text("Relu (binôme)")
    ctx.close()

    ctx, page = _session(browser, live_server, "validateur@demo.pilotage.test")
    page.goto(releve_url)
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("button", name="Partager avec les institutions du contrat").click()
    expect(page.locator(".etapes")).to_contain_text("Partagé avec les institutions du contrat")
    ctx.close()

    ctx, page = _session(browser, live_server, "pilote.ars@demo.pilotage.test")
    page.goto(f"{base}/fiches/1/releves/")
    row = page.locator("tr", has_text="Atelier parents-enfants")
    expect(row).to_contain_text("Partagé")
    row.get_by_role("link").click()
    expect(page.locator(".fiche-officielle")).to_contain_text("Douze familles présentes")
    expect(page.locator(".etapes li")).to_have_count(4)
    expect(page).to_have_url(re.compile(r"/releves/\d+/$"))
    ctx.close()

"""« Suivre cet espace » dans le navigateur (issue 16, point 6) : le pilote de la
démonstration ne suit plus l'espace de la Creuse puis le suit de nouveau, le bouton et son
texte changent en place (htmx, sans recharger la page), la liste « Espaces suivis » de
l'accueil de l'espace partagé suit ; axe-core sur l'espace et sur l'accueil."""

from playwright.sync_api import expect

from pilotage.espace.models import Abonnement


def test_the_demo_pilot_unfollows_then_follows_the_creuse_space(demo, login, page, axe):
    login("pilote.cd@demo.pilotage.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Espace partagé"
    ).click()
    suivis = page.locator("section[aria-labelledby='espaces-suivis']")
    expect(suivis).to_contain_text("Espace départemental – Creuse")
    axe.audit(page, "Espace partagé : accueil avec les espaces suivis")
    page.get_by_role("link", name="Espace départemental – Creuse").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace départemental – Creuse")
    zone = page.locator("#abonnement")
    expect(zone).to_contain_text("un courriel par semaine, seulement s'il y a du nouveau")

    page.evaluate("window.marque = 'même page'")  # disparaît si la page est rechargée
    zone.get_by_role("button", name="Ne plus suivre cet espace").click()
    expect(zone.get_by_role("button", name="Suivre cet espace")).to_be_visible()
    assert page.evaluate("window.marque") == "même page"
    assert not Abonnement.objects.filter(
        user__email="pilote.cd@demo.pilotage.test", espace__cle="departement-23"
    ).exists()
    axe.audit(page, "Espace partagé : espace non suivi")

    zone.get_by_role("button", name="Suivre cet espace").click()
    expect(zone.get_by_role("button", name="Ne plus suivre cet espace")).to_be_visible()
    expect(zone).to_contain_text("Vous suivez cet espace")
    assert page.evaluate("window.marque") == "même page"

    page.get_by_role("link", name="Espace partagé", exact=True).first.click()
    suivis.get_by_role(
        "button", name="Ne plus suivre : Espace régional – Nouvelle-Aquitaine"
    ).click()
    expect(suivis).not_to_contain_text("Nouvelle-Aquitaine")
    expect(suivis).to_contain_text("Espace départemental – Creuse")
    axe.assert_no_blocking()

"""Parcours « Remettre en service » : sur la page de la fiche, un indicateur retiré porte
son badge et le bouton ; le pilote clique, la fiche est remplacée en place (HTMX), l'annonce
est lue, le badge disparaît et l'historique dit la remise en service ; axe-core sur la page."""

import datetime
import re

from playwright.sync_api import expect


def test_pilot_puts_a_withdrawn_indicator_back_in_service_in_place(demo, login, live_server, axe):
    from pilotage.contrats.models import Contrat, Indicateur

    contrat = Contrat.objects.get(departement__code="41")
    fiche = contrat.fiches.order_by("numero").first()
    indicateur = fiche.indicateurs.order_by("pk").first()
    Indicateur.objects.filter(pk=indicateur.pk).update(retire_le=datetime.date(2026, 3, 2))

    page = login("pilote.41@demo.pilotage.test")
    page.goto(f"{live_server.url}/contrats/{contrat.pk}/fiches/{fiche.numero}/")
    table = page.locator("#fiche-officielle")
    expect(table.locator(".retrait")).to_have_text("Retiré le 02/03/2026")
    axe.audit(page, "Fiche : ligne retirée et « Remettre en service »")

    url = page.url
    table.get_by_role("button", name=re.compile("^Remettre en service")).click()
    expect(page.locator("#remise-annonce")).to_contain_text("est remis en service")
    expect(page.locator("#fiche-officielle .retrait")).to_have_count(0)
    assert page.url == url  # en place, sans rechargement de page
    indicateur.refresh_from_db()
    assert indicateur.retire_le is None

    page.get_by_role("link", name="Historique").first.click()
    expect(page.locator("#historique")).to_contain_text("Remise en service (indicateur)")
    axe.assert_no_blocking()

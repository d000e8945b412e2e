"""Formulaires HTMX du suivi : l'erreur du serveur s'affiche à sa place, dans le fragment
appliqué à la page comme dans la page entière renvoyée sans HTMX."""

import pytest
from lxml import html as lxml_html

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from tests.htmx import assert_htmx_swap_matches_full_render, fill, update_page_with_htmx

DENOMINATEUR = "Le dénominateur doit être supérieur à zéro."


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def test_a_zero_denominator_is_reported_next_to_the_field(client, demo):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Conventions conclues")
    url = f"/contrats/{demo.pk}/fiches/6/indicateurs/"
    prefix = f"i{indicateur.pk}"
    data = {
        "indicateur": indicateur.pk,
        f"{prefix}-annee": 2025,
        f"{prefix}-numerateur": 3,
        f"{prefix}-denominateur": 0,
    }
    before = client.get(url)
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    page = update_page_with_htmx(
        fill(before, **{k: v for k, v in data.items() if k != "indicateur"}),
        f"//form[@hx-target='#indicateur-{indicateur.pk}']",
        response,
    )
    [field] = page.xpath(f"//input[@name='{prefix}-denominateur']")
    [group] = field.xpath("ancestor::*[contains(@class, 'fr-input-group')][1]")
    assert DENOMINATEUR in group.text_content()
    assert not indicateur.valeurs.exists()
    # Le même envoi sans HTMX rend la page entière, identique à la page mise à jour.
    full = client.post(url, data)
    assert full.status_code == 400
    assert_htmx_swap_matches_full_render(
        before, f"//form[@hx-target='#indicateur-{indicateur.pk}']", response, full
    )
    tree = lxml_html.document_fromstring(full.content.decode())
    assert DENOMINATEUR in tree.xpath(f"//*[@id='indicateur-{indicateur.pk}']")[0].text_content()

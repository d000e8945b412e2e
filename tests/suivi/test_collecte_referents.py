"""Plan de collecte : la liste « référent de la collecte » propose exactement les personnes
que la règle admet (celles qui peuvent saisir des valeurs sur la fiche), et le service
refuse les autres avec un message en clair."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from lxml import html as lxml_html

from pilotage.contrats.models import Contrat
from pilotage.contrats.permissions import can_record_values
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi import services


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(name):
    return get_user_model().objects.get(email=f"{name}@demo.pilotage.test")


def _offered(client, demo, fiche, indicateur) -> set[str]:
    page = client.get(f"/contrats/{demo.pk}/fiches/{fiche.numero}/collecte/")
    tree = lxml_html.document_fromstring(page.content.decode())
    [select] = tree.xpath(f"//select[@name='p{indicateur.pk}-referent_collecte']")
    return {o.get("value") for o in select.iter("option") if o.get("value")}


def test_the_referent_select_offers_exactly_who_may_collect(demo, client):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    fiche = demo.fiches.get(numero=1)
    indicateur = fiche.indicateurs.first()
    offered = _offered(client, demo, fiche, indicateur)
    allowed = {
        str(u.pk)
        for u in get_user_model().objects.filter(habilitations__contrat=demo).distinct()
        if can_record_values(u, fiche)
    }
    assert offered == allowed
    assert str(user("validateur").pk) in offered
    assert str(user("lecteur").pk) not in offered


def test_a_reader_cannot_be_named_collection_referent(demo):
    indicateur = demo.fiches.get(numero=1).indicateurs.first()
    with pytest.raises(ValidationError) as raised:
        services.plan_collecte_set(
            indicateur=indicateur,
            user=user("pilote.cd"),
            referent_collecte=user("lecteur"),
            methode="entretien",
            frequence="semestrielle",
            prochaine_echeance=datetime.date(2026, 11, 22),
        )
    assert "referent_collecte" in raised.value.message_dict

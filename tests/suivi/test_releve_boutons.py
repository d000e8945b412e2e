"""La page d'un relevé n'offre que les étapes que la personne peut franchir
(`Releve.actions_possibles(user)`, la même règle que les services) : ni « Marquer comme
relu » à l'auteur, ni « Valider » à la personne qui a relu ou à un lecteur."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pilotage.contrats.models import Contrat
from pilotage.suivi import services
from pilotage.suivi.models import RELEVE_TRANSITIONS
from tests.htmx import parse_page

BOUTONS = {t.bouton: code for code, t in RELEVE_TRANSITIONS.items()}


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(email):
    return get_user_model().objects.get(email=f"{email}@demo.pilotage.test")


@pytest.fixture
def draft(demo):
    fiche = demo.fiches.get(numero=1)
    return services.releve_create(
        fiche=fiche,
        user=user("contributeur"),
        indicateur=fiche.indicateurs.get(nature="qualitatif"),
        date_observation=datetime.date(2026, 5, 14),
        situation="école maternelle",
        questions="Les familles sont-elles écoutées et orientées ?",
        faits="85 % des retours parentaux sont positifs.",
    )


def buttons(client, demo, releve, who) -> list[str]:
    client.force_login(user(who))
    response = client.get(reverse("suivi:releve", args=[demo.pk, releve.pk]))
    assert response.status_code == 200
    page = parse_page(response)
    return [BOUTONS[b.text_content().strip()] for b in page.xpath('//button[@name="action"]')]


def test_the_author_is_not_offered_to_proofread_a_colleague_is(client, demo, draft):
    assert buttons(client, demo, draft, "contributeur") == []
    assert buttons(client, demo, draft, "validateur") == ["relire"]


def test_the_proofreader_is_not_offered_to_validate_only_to_send_back(client, demo, draft):
    services.releve_relire(releve=draft, user=user("validateur"))
    assert buttons(client, demo, draft, "validateur") == ["renvoyer"]


def test_the_buttons_follow_the_rule_of_the_services_for_each_person(demo, draft):
    services.releve_relire(releve=draft, user=user("referent"))
    for who in ("contributeur", "referent", "validateur", "pilote.cd"):
        person = user(who)
        for code in RELEVE_TRANSITIONS:
            allowed = code in [c for c, _t in draft.actions_possibles(person)]
            assert allowed == (draft.refus(person, code) == ""), (who, code)
    assert [c for c, _t in draft.actions_possibles(user("validateur"))] == ["valider", "renvoyer"]
    assert draft.actions_possibles(user("contributeur")) == []

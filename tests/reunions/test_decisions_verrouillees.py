"""Décisions d'une réunion dont le compte rendu est en validation ou validé : affichées en
lecture seule, avec la raison ; « Supprimer » et « Enregistrer » répondent par ce message
(et rien ne change) au lieu d'une erreur."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pilotage.reunions.models import Decision, Reunion
from tests.factories import DecisionFactory, make_comite_suivi

HTMX = {"HTTP_HX_REQUEST": "true"}
STATUTS = [
    (Reunion.Statut.EN_VALIDATION, "en cours de validation"),
    (Reunion.Statut.FIGEE, "la séance reste consultable"),
]


@pytest.fixture
def decision(contrat, pilote, fiches):
    reunion = make_comite_suivi(contrat, pilote)
    return DecisionFactory(point=reunion.points.get(fiche=fiches[0]), auteur=pilote)


def lock(decision, statut):
    Reunion.objects.filter(pk=decision.point.reunion_id).update(statut=statut)


def decision_url(decision):
    return reverse("reunions:decision", args=[decision.point.reunion.contrat_id, decision.pk])


@pytest.mark.parametrize(("statut", "why"), STATUTS)
def test_the_decision_page_is_read_only_and_says_why(client, pilote, decision, statut, why):
    lock(decision, statut)
    client.force_login(pilote)
    page = client.get(decision_url(decision)).content.decode()
    assert why in page
    assert "<textarea" not in page
    assert 'name="supprimer"' not in page


@pytest.mark.parametrize(("statut", "why"), STATUTS)
def test_deleting_a_locked_decision_says_why_and_keeps_it(client, pilote, decision, statut, why):
    lock(decision, statut)
    client.force_login(pilote)
    response = client.post(decision_url(decision), {"supprimer": "1"})
    assert response.status_code == 302
    assert why in " ".join(m.message for m in get_messages(response.wsgi_request))
    assert Decision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize(("statut", "why"), STATUTS)
def test_saving_a_locked_decision_in_place_says_why_and_changes_nothing(
    client, pilote, decision, statut, why
):
    lock(decision, statut)
    texte = decision.texte
    client.force_login(pilote)
    response = client.post(decision_url(decision), {"texte": "Autre texte"}, **HTMX)
    assert response.status_code == 409
    assert why in response.content.decode()
    decision.refresh_from_db()
    assert decision.texte == texte


def test_a_locked_decision_is_no_longer_modifiable_by_its_pilot(pilote, decision):
    assert decision.peut_modifier(pilote)
    lock(decision, Reunion.Statut.EN_VALIDATION)
    decision.point.reunion.refresh_from_db()
    assert not decision.peut_modifier(pilote)

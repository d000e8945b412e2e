"""Identifiants envoyés dans un formulaire (`indicateur`, `participation`) : une valeur
qui n'est pas un identifiant donne une réponse 400 en français, jamais une erreur 500."""

import pytest
from django.urls import reverse

from pilotage.contrats.models import Contrat
from pilotage.core.requests import posted_pk
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.models import Reunion

MALFORMED = ["abc", "1e3", "", " ", "99999999999999999999", "-1", "0", "1.5", "١٢", "12\x00"]


@pytest.mark.parametrize("value", MALFORMED)
def test_posted_pk_refuses_what_is_not_a_positive_identifier(value):
    assert posted_pk({"indicateur": value}, "indicateur") is None


def test_posted_pk_reads_a_positive_identifier():
    assert posted_pk({"indicateur": "42"}, "indicateur") == 42
    assert posted_pk({}, "indicateur") is None


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def _reunion(contrat):
    return Reunion.objects.filter(contrat=contrat).order_by("-date").first()


def _endpoints(contrat):
    fiche = contrat.fiches.order_by("numero").first()
    reunion = _reunion(contrat)
    participants = reverse("reunions:participants", args=[contrat.pk, reunion.pk])
    return {
        "valeur": (reverse("suivi:indicateurs", args=[contrat.pk, fiche.numero]), "indicateur", {}),
        "collecte": (reverse("suivi:collecte", args=[contrat.pk, fiche.numero]), "indicateur", {}),
        "statut": (participants, "participation", {"action": "statut"}),
        "retirer": (participants, "participation", {"action": "retirer"}),
    }


@pytest.mark.parametrize("endpoint", ["valeur", "collecte", "statut", "retirer"])
@pytest.mark.parametrize("value", ["abc", "1e3", "", "99999999999999999999", "-3"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_malformed_identifier_in_a_post_answers_400_in_french(
    demo, client, endpoint, value, htmx
):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    url, name, extra = _endpoints(demo)[endpoint]
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, {name: value, **extra}, headers=headers)
    assert response.status_code == 400
    assert "Élément introuvable" in response.content.decode()

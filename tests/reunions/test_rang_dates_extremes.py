"""Rang des réunions (`ReunionQuerySet.avec_rang`, fonction de fenêtre par année) avec
une date aux limites du calendrier déjà en base (avant la règle des dates plausibles) :
31 décembre 9999 en temps universel, soit le 1er janvier 10000 à Paris ; 1er janvier de
l'an 1. Le calcul du rang (SQL) ne doit pas échouer ; la liste des réunions non plus
pour l'an 1 (pour le 31/12/9999 à Paris, voir test_dates_plausibles.py)."""

import datetime

import pytest
from django.urls import reverse

from pilotage.reunions.models import Reunion
from tests.factories import ReunionFactory
from tests.reunions.helpers import at

EXTREMES = [
    datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.UTC),
]


@pytest.fixture(params=EXTREMES, ids=["an-9999-utc", "an-1"])
def extreme(request, contrat, pilote):
    ReunionFactory(contrat=contrat, created_by=pilote, date=at(30))
    reunion = ReunionFactory(contrat=contrat, created_by=pilote, date=at(60))
    Reunion.objects.filter(pk=reunion.pk).update(date=request.param)
    return reunion


def test_the_rank_is_computed_for_a_meeting_at_the_edge_of_the_calendar(extreme):
    rangs = Reunion.objects.filter(contrat=extreme.contrat).rangs()
    assert set(rangs) == set(Reunion.objects.values_list("pk", flat=True))
    rang, numero = rangs[extreme.pk]
    assert rang >= 1
    assert numero in (1, 2)


def test_the_meeting_list_still_answers_for_a_meeting_in_year_1(client, contrat, pilote):
    ReunionFactory(contrat=contrat, created_by=pilote, date=at(30))
    reunion = ReunionFactory(contrat=contrat, created_by=pilote, date=at(60))
    Reunion.objects.filter(pk=reunion.pk).update(date=EXTREMES[1])
    client.force_login(pilote)
    response = client.get(reverse("reunions:list", args=[contrat.pk]))
    assert response.status_code == 200

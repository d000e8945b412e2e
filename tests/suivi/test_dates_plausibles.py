"""Date d'un relevé et année d'une valeur d'indicateur bornées à la période plausible du
contrat (`core.dates`) : 2025-2027 → relevé du 01/01/2024 au 31/12/2029, valeur de 2015
(situation de départ) à 2029 ; par le formulaire comme par le service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats.models import Indicateur
from pilotage.suivi import services
from pilotage.suivi.forms import ReleveForm, ValeurForm
from pilotage.suivi.models import Releve, ValeurIndicateur
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

RELEVE_RANGE = "entre le 01/01/2024 et le 31/12/2029"
YEAR_RANGE = "Indiquez une année entre 2015 et 2029 (contrat 2025-2027"


@pytest.fixture
def fiche(db):
    fiche = make_fiche(ContratFactory())
    Indicateur.objects.create(fiche=fiche, nature="qualitatif", libelle="Écoute des familles")
    return fiche


@pytest.fixture
def pilote(fiche):
    user = UserFactory()
    grant(user, fiche.contrat)
    return user


def _releve_data(fiche, date: str) -> dict:
    return {
        "indicateur": fiche.indicateurs.get(nature="qualitatif").pk,
        "date_observation": date,
        "situation": "École maternelle",
        "questions": "Les familles sont-elles écoutées ?",
        "faits": "Retours positifs.",
        "ameliorations": "",
    }


def test_the_releve_form_refuses_an_observation_in_year_9999_with_the_allowed_range(fiche):
    form = ReleveForm(_releve_data(fiche, "9999-12-31"), fiche=fiche)
    assert not form.is_valid()
    assert RELEVE_RANGE in form.errors["date_observation"][0]


def test_the_releve_form_accepts_an_observation_during_the_contract(fiche):
    assert ReleveForm(_releve_data(fiche, "2026-05-14"), fiche=fiche).is_valid()


def test_the_service_refuses_a_releve_observed_in_1900(fiche, pilote):
    with pytest.raises(ValidationError, match=RELEVE_RANGE):
        services.releve_create(
            fiche=fiche,
            user=pilote,
            indicateur=fiche.indicateurs.get(nature="qualitatif"),
            date_observation=datetime.date(1900, 1, 1),
            situation="École",
            questions="Question ?",
            faits="Faits.",
        )
    assert not Releve.objects.exists()


def _valeur_form(fiche, annee: str) -> ValeurForm:
    indicateur = fiche.indicateurs.get(nature="quantitatif")
    return ValeurForm({"annee": annee, "valeur": "12"}, indicateur=indicateur)


@pytest.mark.parametrize("annee", ["2014", "2030", "9999"])
def test_the_value_form_refuses_an_implausible_year_with_the_allowed_range(fiche, annee):
    form = _valeur_form(fiche, annee)
    assert not form.is_valid()
    assert form.errors["annee"][0].startswith(YEAR_RANGE)


@pytest.mark.parametrize("annee", ["2015", "2029"])
def test_the_value_form_accepts_the_starting_situation_and_the_last_plausible_year(fiche, annee):
    assert _valeur_form(fiche, annee).is_valid()


def test_the_value_form_proposes_only_plausible_years(fiche):
    widget = _valeur_form(fiche, "2026").fields["annee"].widget
    assert (widget.attrs["min"], widget.attrs["max"]) == (2015, 2029)


def test_the_service_refuses_a_value_for_year_9999(fiche):
    with pytest.raises(ValidationError, match="Indiquez une année entre 2015 et 2029"):
        services.valeur_create(
            indicateur=fiche.indicateurs.get(nature="quantitatif"),
            user=None,
            annee=9999,
            valeur=Decimal(1),
        )
    assert not ValeurIndicateur.objects.exists()

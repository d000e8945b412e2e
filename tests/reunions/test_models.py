"""Règles portées par le modèle des réunions : ce qu'un pilote peut lancer selon l'état
(`Reunion.actions_possibles`), verrou de la séance, rang calculé en SQL."""

import datetime

import pytest
from django.utils import timezone

from pilotage.reunions.models import Reunion
from tests.factories import InstitutionFactory, ReunionFactory, UserFactory, grant


def at(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def organisateur(contrat):
    user = UserFactory(institution=InstitutionFactory(nom="DDETS de la Creuse"))
    grant(user, contrat)
    return user


def with_statut(reunion: Reunion, statut: str) -> Reunion:
    Reunion.objects.filter(pk=reunion.pk).update(statut=statut)
    reunion.refresh_from_db()
    return reunion


@pytest.mark.parametrize(
    ("days", "statut", "expected"),
    [
        (10, Reunion.Statut.PLANIFIEE, {"modifier", "annuler", "inviter"}),
        (-1, Reunion.Statut.PLANIFIEE, {"modifier", "annuler", "tenir"}),
        (-1, Reunion.Statut.TENUE, {"modifier", "soumettre"}),
        (-1, Reunion.Statut.EN_VALIDATION, {"modifier", "valider"}),
        (-1, Reunion.Statut.FIGEE, set()),
        (10, Reunion.Statut.ANNULEE, set()),
    ],
)
def test_a_pilot_is_offered_only_the_actions_the_meeting_state_allows(
    contrat, organisateur, days, statut, expected
):
    reunion = with_statut(
        ReunionFactory(contrat=contrat, created_by=organisateur, date=at(days)), statut
    )
    assert reunion.actions_possibles(organisateur) == expected


def test_a_pilot_without_institution_cannot_validate_in_the_name_of_one(contrat, organisateur):
    sans_institution = UserFactory(institution=None)
    grant(sans_institution, contrat)
    reunion = with_statut(
        ReunionFactory(contrat=contrat, created_by=organisateur, date=at(-1)),
        Reunion.Statut.EN_VALIDATION,
    )
    assert "valider" in reunion.actions_possibles(organisateur)
    assert "valider" not in reunion.actions_possibles(sans_institution)


def test_readers_and_referents_are_offered_no_meeting_action(contrat, organisateur, lecteur):
    referent = UserFactory()
    grant(referent, contrat, "referent")
    reunion = ReunionFactory(contrat=contrat, created_by=organisateur, date=at(10))
    assert reunion.actions_possibles(lecteur) == set()
    assert reunion.actions_possibles(referent) == set()
    assert reunion.peut_prendre_notes(referent)
    assert not reunion.peut_prendre_notes(lecteur)


@pytest.mark.parametrize(
    ("statut", "locked"),
    [
        (Reunion.Statut.PLANIFIEE, False),
        (Reunion.Statut.TENUE, False),
        (Reunion.Statut.EN_VALIDATION, True),
        (Reunion.Statut.FIGEE, True),
        (Reunion.Statut.ANNULEE, True),
    ],
)
def test_the_seance_is_locked_while_the_minutes_are_validated_frozen_or_cancelled(
    contrat, organisateur, statut, locked
):
    reunion = with_statut(ReunionFactory(contrat=contrat, created_by=organisateur), statut)
    assert bool(reunion.verrou_seance) is locked


def test_rank_is_computed_in_one_query_for_every_meeting_of_the_contract(
    contrat, organisateur, django_assert_num_queries
):
    year = timezone.localdate().year + 1
    dates = [timezone.make_aware(datetime.datetime(year, month, 10, 14)) for month in (2, 5, 9)]
    for when in dates:
        ReunionFactory(contrat=contrat, created_by=organisateur, date=when)
    with django_assert_num_queries(1):
        ranks = [r.rang for r in Reunion.objects.filter(contrat=contrat).avec_rang()]
    assert ranks == [1, 2, 3]

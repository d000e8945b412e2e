"""« En retard » est dérivé des jalons : une date prévue passée sans date de réalisation.

Une fiche réalisée ou abandonnée n'est jamais en retard.
"""

import datetime

import pytest

from pilotage.contrats.models import FicheAction, Jalon
from pilotage.contrats.models import today as app_today
from tests.factories import ContratFactory, make_fiche

DAY = datetime.date(2026, 6, 1)
PAST = datetime.date(2026, 1, 31)
FUTURE = datetime.date(2027, 1, 31)


@pytest.fixture
def fiche(db):
    return make_fiche(ContratFactory(), numero=1, etat="en_cours")


def set_jalon(fiche, *, prevue, realisee=None):
    Jalon.objects.filter(fiche=fiche).update(date_prevue=prevue, date_realisation=realisee)


def set_etat(fiche, etat):
    FicheAction.objects.filter(pk=fiche.pk).update(etat=etat, motif_abandon="Motif")


def late_on(day, fiche) -> tuple[bool, bool]:
    """(annotation `with_retard`, présence dans `en_retard`) à la date `day`."""
    annotated = FicheAction.objects.with_retard(day).get(pk=fiche.pk)
    listed = FicheAction.objects.en_retard(day).filter(pk=fiche.pk).exists()
    return annotated.en_retard, listed


@pytest.mark.parametrize(
    ("prevue", "realisee", "etat", "late"),
    [
        pytest.param(PAST, None, "en_cours", True, id="past-not-done"),
        pytest.param(PAST, None, "non_demarree", True, id="past-not-done-not-started"),
        pytest.param(PAST, datetime.date(2026, 2, 15), "en_cours", False, id="past-done"),
        pytest.param(FUTURE, None, "en_cours", False, id="future"),
        pytest.param(DAY, None, "en_cours", False, id="due-today"),
        pytest.param(None, None, "en_cours", False, id="no-date"),
        pytest.param(PAST, None, "realisee", False, id="realisee"),
        pytest.param(PAST, None, "abandonnee", False, id="abandonnee"),
    ],
)
def test_lateness_derives_from_milestones_on_a_given_day(fiche, prevue, realisee, etat, late):
    set_jalon(fiche, prevue=prevue, realisee=realisee)
    set_etat(fiche, etat)
    assert late_on(DAY, fiche) == (late, late)


def test_one_late_milestone_among_done_ones_makes_the_fiche_late(fiche):
    set_jalon(fiche, prevue=PAST, realisee=PAST)
    Jalon.objects.create(fiche=fiche, libelle="Bilan", date_prevue=PAST, ordre=1)
    Jalon.objects.create(fiche=fiche, libelle="Suite", date_prevue=FUTURE, ordre=2)
    assert late_on(DAY, fiche) == (True, True)


def test_a_fiche_without_milestones_is_not_late(fiche):
    Jalon.objects.filter(fiche=fiche).delete()
    assert late_on(DAY, fiche) == (False, False)


def test_the_reference_day_decides_lateness(fiche):
    set_jalon(fiche, prevue=PAST)
    assert late_on(PAST - datetime.timedelta(days=1), fiche) == (False, False)
    assert late_on(PAST, fiche) == (False, False)
    assert late_on(PAST + datetime.timedelta(days=1), fiche) == (True, True)


def test_en_retard_lists_only_the_late_fiches_of_the_queryset(fiche):
    on_time = make_fiche(fiche.contrat, numero=2, etat="en_cours")
    set_jalon(fiche, prevue=PAST)
    set_jalon(on_time, prevue=FUTURE)
    assert list(FicheAction.objects.en_retard(DAY).values_list("numero", flat=True)) == [1]


# --- la propriété, sans annotation, se réfère à aujourd'hui --------------------------


@pytest.mark.parametrize(
    ("days_from_today", "done", "etat", "late"),
    [
        pytest.param(-1, False, "en_cours", True, id="yesterday-not-done"),
        pytest.param(-1, True, "en_cours", False, id="yesterday-done"),
        pytest.param(0, False, "en_cours", False, id="today"),
        pytest.param(1, False, "en_cours", False, id="tomorrow"),
        pytest.param(-1, False, "realisee", False, id="realisee"),
        pytest.param(-1, False, "abandonnee", False, id="abandonnee"),
    ],
)
def test_the_property_matches_the_annotation_for_today(fiche, days_from_today, done, etat, late):
    planned = app_today() + datetime.timedelta(days=days_from_today)
    set_jalon(fiche, prevue=planned, realisee=planned if done else None)
    set_etat(fiche, etat)
    plain = FicheAction.objects.get(pk=fiche.pk)
    assert not hasattr(plain, "_en_retard")
    assert plain.en_retard is late
    assert FicheAction.objects.with_retard().get(pk=fiche.pk).en_retard is late
    assert FicheAction.objects.en_retard().filter(pk=fiche.pk).exists() is late


@pytest.mark.parametrize(
    ("days_from_today", "done", "retiree", "late"),
    [
        pytest.param(-1, False, False, True, id="yesterday-not-done"),
        pytest.param(-1, True, False, False, id="yesterday-done"),
        pytest.param(-1, False, True, False, id="yesterday-withdrawn"),
        pytest.param(0, False, False, False, id="today"),
    ],
)
def test_a_fiche_read_with_its_milestones_says_lateness_without_a_query(
    fiche, days_from_today, done, retiree, late, django_assert_num_queries
):
    planned = app_today() + datetime.timedelta(days=days_from_today)
    set_jalon(fiche, prevue=planned, realisee=planned if done else None)
    if retiree:
        Jalon.objects.filter(fiche=fiche).update(retire_le=app_today())
    complete = FicheAction.objects.completes().get(pk=fiche.pk)
    with django_assert_num_queries(0):
        assert complete.en_retard is late
    assert FicheAction.objects.with_retard().get(pk=fiche.pk).en_retard is late


def test_a_milestone_is_late_when_its_planned_date_is_past_and_it_is_not_done():
    yesterday = app_today() - datetime.timedelta(days=1)
    assert Jalon(libelle="x", date_prevue=yesterday).en_retard is True
    assert Jalon(libelle="x", date_prevue=yesterday, date_realisation=yesterday).en_retard is False
    assert Jalon(libelle="x", date_prevue=app_today()).en_retard is False
    assert Jalon(libelle="x").en_retard is False

"""Dates des réunions et des décisions bornées à la période plausible du contrat
(génération 2025-2027 : du 1er janvier 2024 au 31 décembre 2029) ; une date absurde
déjà en base ne casse ni la liste, ni la page, ni les fichiers d'agenda."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pilotage.reunions import services
from pilotage.reunions.forms import ReunionForm
from pilotage.reunions.models import Reunion
from tests.reunions.helpers import at, url

FIELDS = {
    "duree_minutes": 120,
    "lieu": "Guéret",
    "lien_visio": "",
    "ordre_du_jour": "a_impact",
}


def _aware(year, month, day, hour=23, minute=59):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _form(contrat, jour):
    data = {"type": "comite_suivi", "jour": jour, "heure": "23:59", **FIELDS}
    return ReunionForm(data, contrat=contrat, fiches=contrat.fiches.all())


def test_the_form_refuses_a_meeting_in_year_9999_and_states_the_allowed_range(contrat):
    form = _form(contrat, "9999-12-31")
    assert not form.is_valid()
    assert form.errors["jour"] == [
        "La date doit être comprise entre le 01/01/2024 et le 31/12/2029 (contrat "
        "2025-2027, à un an près avant et deux ans après)."
    ]


def test_the_form_accepts_the_last_plausible_day(contrat):
    assert _form(contrat, "2029-12-31").is_valid()


def test_the_service_refuses_a_meeting_in_year_9999(contrat, pilote):
    with pytest.raises(ValidationError, match="entre le 01/01/2024 et le 31/12/2029"):
        services.reunion_create(
            contrat=contrat, user=pilote, fields={"date": _aware(9999, 12, 31), **FIELDS}
        )
    assert not Reunion.objects.exists()


def test_the_service_refuses_moving_a_meeting_to_year_1900(contrat, pilote):
    reunion = services.reunion_create(
        contrat=contrat, user=pilote, fields={"date": at(30), **FIELDS}
    )
    with pytest.raises(ValidationError, match="entre le 01/01/2024"):
        services.reunion_update(
            reunion=reunion, user=pilote, fields={"date": _aware(1900, 1, 1, 0, 0), **FIELDS}
        )
    reunion.refresh_from_db()
    assert reunion.date == at(30)


@pytest.fixture
def far_meeting(contrat, pilote):
    """Une réunion du 31 décembre 9999 à 23 h 59 (heure de Paris, durée de 8 h : la fin
    tomberait en l'an 10000), écrite directement en base avant la règle."""
    when = _aware(9999, 12, 31)
    reunion = services.reunion_create(
        contrat=contrat, user=pilote, fields={"date": at(30), **FIELDS}
    )
    Reunion.objects.filter(pk=reunion.pk).update(date=when, duree_minutes=480)
    return reunion


@pytest.mark.parametrize("page", ["list", "detail", "ics", "contrat_ics"])
def test_a_far_meeting_already_stored_does_not_break_the_pages(client, pilote, far_meeting, page):
    client.force_login(pilote)
    if page == "list":
        address = reverse("reunions:list", args=[far_meeting.contrat_id])
    elif page == "contrat_ics":
        address = reverse("reunions:contrat_ics", args=[far_meeting.contrat_id])
    else:
        address = url(page, far_meeting)
    response = client.get(address)
    assert response.status_code == 200


@pytest.mark.parametrize("field", ["echeance", "date_prevue"])
def test_a_decision_due_in_year_9999_is_refused_with_the_allowed_range(fiches, field):
    from pilotage.reunions.seance_forms import DecisionForm

    data = {"categorie": "calendrier", "texte": "Décaler l'étape.", field: "9999-12-31"}
    form = DecisionForm(data, fiche=fiches[0])
    assert not form.is_valid()
    assert "entre le 01/01/2024 et le 31/12/2029" in form.errors[field][0]

"""Dates des étapes du calendrier prévisionnel (jalons) bornées à la période plausible
du contrat (2025-2027 : du 01/01/2024 au 31/12/2029), dans le formulaire de la fiche
comme dans le service (import, décision de réunion, démonstration)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats import services
from pilotage.contrats.forms import FORMSETS
from pilotage.contrats.models import Jalon
from tests.factories import ContratFactory, make_fiche

RANGE = "entre le 01/01/2024 et le 31/12/2029"


@pytest.fixture
def fiche(db):
    return make_fiche(ContratFactory())


def _jalons_formset(fiche, **row):
    data = {"jalons-TOTAL_FORMS": "1", "jalons-INITIAL_FORMS": "0", "jalons-0-libelle": "Étape"}
    data |= {f"jalons-0-{name}": value for name, value in row.items()}
    _title, factory = FORMSETS["jalons"]
    return factory(data, instance=fiche, prefix="jalons")


@pytest.mark.parametrize("field", ["date_prevue", "date_realisation"])
def test_the_fiche_form_refuses_a_step_in_year_9999_under_the_date(fiche, field):
    formset = _jalons_formset(fiche, **{field: "9999-12-31"})
    assert not formset.is_valid()
    assert RANGE in formset.forms[0].errors[field][0]


def test_the_fiche_form_accepts_a_step_during_the_contract(fiche):
    assert _jalons_formset(
        fiche, date_prevue="2026-06-30", date_realisation="2026-07-01"
    ).is_valid()


@pytest.mark.parametrize("field", ["date_prevue", "date_realisation"])
def test_the_service_refuses_a_step_dated_outside_the_contract_and_keeps_the_fiche(fiche, field):
    with pytest.raises(ValidationError, match=RANGE):
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=fiche.version,
            jalons=[{"libelle": "Étape", field: datetime.date(9999, 12, 31)}],
        )
    assert list(Jalon.objects.filter(fiche=fiche).values_list("libelle", flat=True)) == [
        "Signature de la convention"
    ]

"""Catalogue des changements de fiche (`reunions.changements`) : cohérence du registre
avec les types de décision et le formulaire de séance, aller-retour de chaque action
formulaire → changement → valeurs initiales → formulaire."""

import datetime

import pytest
from django import forms

from pilotage.reunions import changements
from pilotage.reunions.models import Decision
from pilotage.reunions.seance_forms import DecisionForm, action_choices, initial_from
from tests.factories import ContratFactory, make_fiche

SPECS = list(changements.REGISTRY.values())


def spec_id(spec) -> str:
    return spec.code


def test_every_decision_type_but_autre_has_an_action():
    for categorie in Decision.Categorie.values:
        specs = changements.specs_for(categorie)
        if categorie == Decision.Categorie.AUTRE:
            assert specs == []
        else:
            assert specs, f"aucune action pour le type « {categorie} »"


def test_the_service_table_and_the_form_choices_come_from_the_registry():
    for categorie, actions in changements.APPLICATIONS.items():
        assert list(actions) == [spec.code for spec in changements.specs_for(categorie)]
        assert action_choices(categorie)[1:] == list(actions.items())


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_each_action_reads_fields_of_the_form(spec):
    assert spec.label and spec.categorie in Decision.Categorie.values
    assert changements.spec_for(spec.code) is spec
    names = spec.form_fields()
    assert len(set(names)) == len(names)
    assert len({key.name for key in spec.keys}) == len(spec.keys)
    for name in names:
        assert name in DecisionForm.base_fields, f"{spec.code} lit un champ absent : {name}"
    for name, message in spec.required:
        assert name in names and message


@pytest.fixture
def fiches(db):
    contrat = ContratFactory(date_signature=datetime.date(2025, 3, 1))
    return [make_fiche(contrat, numero) for numero in (1, 2)]


def example(form: DecisionForm, name: str) -> str:
    """Une valeur valide du champ, telle qu'un navigateur l'enverrait."""
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        return next(str(value) for value, _label in field.choices if value not in ("", None))
    if isinstance(field, forms.DateField):
        return "2026-06-30"
    if isinstance(field, forms.DecimalField):
        return "1500.5"
    if isinstance(field, forms.IntegerField):
        return "2026"
    return "Texte de test"


def posted(initial: dict) -> dict:
    return {name: str(value) for name, value in initial.items() if value is not None}


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_each_action_round_trips_through_the_form(spec, fiches):
    fiche = fiches[0]
    data = {"categorie": spec.categorie, "texte": "Décision de test", "action": spec.code}
    blank = DecisionForm(data, fiche=fiche, fiches=fiches)
    data |= {name: example(blank, name) for name in spec.form_fields()}
    form = DecisionForm(data, fiche=fiche, fiches=fiches)
    assert form.is_valid(), form.errors
    # Seuls les champs de ce changement sont montrés (formulaire court en séance).
    assert [bound.name for bound in form.changement_fields()] == [
        name for name in form.fields if name in spec.form_fields()
    ]
    changement = form.changement()
    assert changement["action"] == spec.code
    assert changements.describe(changement, fiche)

    decision = Decision(categorie=spec.categorie, texte="Décision de test", changement=changement)
    initial = initial_from(decision)
    assert initial["action"] == spec.code
    assert {name for name in spec.form_fields() if name in initial} == set(spec.form_fields())

    again = DecisionForm(posted(initial), fiche=fiche, fiches=fiches)
    assert again.is_valid(), again.errors
    assert again.changement() == changement

"""Textes libres : plafonds (`core/free_text.py`) posés sur chaque champ rédigé, message en
clair, caractères de contrôle retirés ; les textes de démonstration y tiennent largement."""

import json
import time
from pathlib import Path

import pytest

from pilotage.contrats.forms import FicheForm
from pilotage.contrats.models import Indicateur
from pilotage.core.free_text import (
    TEXT_LIMITS,
    FreeTextField,
    text_length_check,
    without_control_characters,
)
from pilotage.reunions.documents.forms import ValidationForm
from pilotage.reunions.seance_forms import ClotureForm, DecisionForm, NoteForm
from pilotage.suivi.forms import ReleveActionForm, ReleveForm, ValeurForm
from tests.factories import ContratFactory, UserFactory, make_fiche

DEMO = Path(__file__).resolve().parents[2] / "pilotage/demo/data"

#: Chaque champ rédigé d'un formulaire : (formulaire, champ, sorte de texte).
FIELDS = [
    *(
        ("fiche", name, "fiche")
        for name in (
            "constat",
            "objectif_operationnel",
            "description",
            "calendrier_texte",
            "moyens_texte",
            "motif_abandon",
        )
    ),
    *(("releve", name, "releve") for name in ("questions", "faits", "ameliorations")),
    ("releve_action", "commentaire", "commentaire"),
    ("valeur", "commentaire", "commentaire"),
    ("note", "texte", "note"),
    ("decision", "texte", "decision"),
    ("decision", "motif", "decision"),
    ("cloture", "commentaire", "cloture"),
    ("validation", "commentaire", "commentaire"),
]


@pytest.fixture
def fiche(db):
    user = UserFactory()
    contrat = ContratFactory()
    fiche = make_fiche(contrat, user=user)
    Indicateur.objects.create(fiche=fiche, nature="qualitatif", libelle="Familles écoutées")
    return fiche


def build(name, data, fiche):
    if name == "fiche":
        return FicheForm(data, instance=fiche, contrat=fiche.contrat)
    if name == "releve":
        return ReleveForm(data, fiche=fiche)
    if name == "valeur":
        return ValeurForm(data, indicateur=fiche.indicateurs.first())
    if name == "decision":
        return DecisionForm(data, fiche=fiche)
    forms = {
        "releve_action": ReleveActionForm,
        "note": NoteForm,
        "cloture": ClotureForm,
        "validation": ValidationForm,
    }
    return forms[name](data)


def test_the_message_states_the_limit_and_the_length():
    with pytest.raises(Exception) as error:
        text_length_check("x" * 100_002, "fiche")
    assert error.value.messages == [
        "Ce texte dépasse 20\xa0000 caractères (il en compte 100\xa0002) : raccourcissez-le."
    ]
    text_length_check("x" * TEXT_LIMITS["fiche"], "fiche")


@pytest.mark.parametrize(("form", "field", "kind"), FIELDS)
def test_every_free_text_field_is_capped_with_a_clear_message(form, field, kind, fiche):
    limit = TEXT_LIMITS[kind]
    too_long = "a." * (limit // 2) + "@b"
    bound = build(form, {field: too_long}, fiche)
    start = time.perf_counter()
    bound.is_valid()
    assert time.perf_counter() - start < 1.0
    assert bound.errors[field] == [
        f"Ce texte dépasse {limit:,} caractères (il en compte {len(too_long):,}) : "
        "raccourcissez-le.".replace(",", "\xa0")
    ]
    assert build(form, {field: "x" * limit}, fiche).errors.get(field) is None
    assert build(form, {}, fiche)[field].field.max_length == limit


@pytest.mark.parametrize(("form", "field", "kind"), FIELDS)
def test_an_invisible_control_character_is_dropped_not_the_text(form, field, kind, fiche):
    bound = build(form, {field: "Atelier\x00 parents\x1b\r\n\tà Guéret"}, fiche)
    bound.is_valid()
    assert field not in bound.errors
    # Retour à la ligne et tabulation restent ; « \r\n » devient « \n » (`normalise_text`).
    assert bound.cleaned_data[field] == "Atelier parents\n\tà Guéret"


def test_control_characters_other_than_line_breaks_and_tabs_are_removed():
    assert without_control_characters("a\x00b\x07c\x7fd\x85e\tf\ng\rh") == "abcde\tf\ng\rh"
    assert FreeTextField(kind="note", required=False).clean(" \x00 ") == ""


def _demo_texts():
    creuse = json.loads((DEMO / "creuse_2025_2027.json").read_text(encoding="utf-8"))
    for fiche in creuse["fiches"]:
        for name, kind in [(f, k) for _form, f, k in FIELDS[:6]]:
            yield kind, fiche.get(name, "")
    reunions = json.loads((DEMO / "reunions_demo.json").read_text(encoding="utf-8"))
    for reunion in reunions["reunions"]:
        for point in reunion.get("points", {}).values():
            for note in point.get("notes", []):
                yield "note", note["texte"]
            for decision in point.get("decisions", []):
                yield "decision", decision["texte"]


def test_the_demo_texts_fit_comfortably_under_their_caps():
    texts = list(_demo_texts())
    assert len(texts) > 100
    assert all(len(text) * 5 < TEXT_LIMITS[kind] for kind, text in texts)

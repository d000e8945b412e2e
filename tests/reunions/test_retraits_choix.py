"""Décisions de réunion et lignes retirées du contrat : un acteur, une étape ou un
indicateur retiré n'est plus proposé pour une nouvelle décision (ni accepté s'il est
envoyé quand même) ; la décision qui le visait déjà le garde à sa modification."""

import datetime

import pytest

from pilotage.contrats.models import FicheAction
from pilotage.reunions.models import Decision
from pilotage.reunions.seance_forms import DecisionForm

RETIRE = datetime.date(2025, 9, 1)


@pytest.fixture
def fiche(fiches):
    fiche = fiches[0]
    fiche.acteurs.filter(nom="CH").update(retire_le=RETIRE)
    fiche.jalons.update(retire_le=RETIRE)
    fiche.indicateurs.update(retire_le=RETIRE)
    return FicheAction.objects.get(pk=fiche.pk)  # sans les listes préchargées avant


def _choices(form, name):
    return [value for value, _label in form.fields[name].choices if value != ""]


def test_withdrawn_lines_are_not_offered_for_a_new_decision(fiche, fiches):
    form = DecisionForm(fiche=fiche, fiches=fiches)
    assert _choices(form, "acteur") == [fiche.acteurs.get(nom="ARS").pk]
    assert _choices(form, "jalon") == []
    assert _choices(form, "indicateur") == []


def test_a_withdrawn_indicator_sent_anyway_is_refused(fiche, fiches):
    data = {
        "categorie": "indicateurs",
        "texte": "Relever la cible.",
        "action": "modifier_indicateur",
        "indicateur": str(fiche.indicateurs.get().pk),
        "cible": "20",
    }
    form = DecisionForm(data, fiche=fiche, fiches=fiches)
    assert not form.is_valid()
    assert "indicateur" in form.errors


def test_the_decision_that_already_targets_a_withdrawn_line_keeps_it(fiche, fiches):
    indicateur = fiche.indicateurs.get()
    decision = Decision(
        categorie="indicateurs",
        texte="Relever la cible.",
        changement={"action": "modifier_indicateur", "indicateur": indicateur.pk, "cible": "20"},
    )
    form = DecisionForm(fiche=fiche, fiches=fiches, decision=decision)
    assert _choices(form, "indicateur") == [indicateur.pk]
    assert _choices(form, "jalon") == []  # les autres lignes retirées restent exclues


def test_the_meeting_file_marks_a_withdrawn_indicator(contrat, pilote, fiche):
    from pilotage.reunions.documents.content import dossier_content
    from tests.factories import make_comite_suivi

    reunion = make_comite_suivi(contrat, pilote)
    dossier = dossier_content(reunion, viewer=pilote)
    [ligne] = [f for f in dossier.fiches if f.point.fiche_id == fiche.pk][0].indicateurs
    assert ligne.libelle == "Nombre d'EPP réalisés (retiré le 01/09/2025)"

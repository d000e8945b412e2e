"""Services de la fiche : historique, verrou optimiste, validation, « en retard »."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats import services
from pilotage.contrats.models import FicheAction, Jalon
from pilotage.core.models import Revision
from pilotage.core.services import ConflitDeVersion
from tests.factories import ContratFactory, UserFactory, make_fiche


@pytest.fixture
def fiche(db):
    return make_fiche(ContratFactory(), numero=1)


def _history(fiche):
    return list(Revision.objects.for_object(fiche).prefetch_related("changes"))


def test_an_edit_records_who_changed_which_field_with_old_and_new_values(fiche):
    user = UserFactory(first_name="Romane", last_name="Référente")
    services.fiche_update(
        fiche=fiche, user=user, expected_version=1, fields={"objectif_operationnel": "Nouveau"}
    )
    latest = _history(fiche)[0]
    assert latest.user == user
    assert latest.version == 2
    [change] = latest.changes.all()
    assert (change.label, change.old_value, change.new_value) == (
        "Objectif opérationnel",
        "Objectif de test.",
        "Nouveau",
    )


def test_a_list_change_appears_under_its_rubric(fiche):
    rows = [
        {"id": f.pk, "financeur": f.financeur, "montant": f.montant, "valorisation": f.valorisation}
        for f in fiche.financements.all()
    ]
    rows[0]["montant"] = Decimal("20000")
    services.fiche_update(fiche=fiche, user=None, expected_version=1, financements=rows)
    [change] = _history(fiche)[0].changes.all()
    assert change.label == "Moyens financiers prévisionnels"
    assert "14\u202f574" in change.old_value and "20\u202f000" in change.new_value


def test_saving_without_change_records_nothing_and_keeps_the_version(fiche):
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": fiche.titre})
    fiche.refresh_from_db()
    assert fiche.version == 1
    assert len(_history(fiche)) == 1  # la création seulement


def test_list_rows_keep_their_ids_and_removed_rows_are_deleted(fiche):
    indicateur = fiche.indicateurs.get()
    points = list(fiche.points_vigilance.all())
    services.fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        indicateurs=[{"id": indicateur.pk, "nature": "quantitatif", "libelle": "Libellé revu"}],
        points_vigilance=[],
    )
    indicateur.refresh_from_db()
    assert indicateur.libelle == "Libellé revu"
    assert not fiche.points_vigilance.filter(pk__in=[p.pk for p in points]).exists()


def test_second_save_from_the_same_version_is_refused_and_keeps_the_first(fiche):
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "Premier"})
    with pytest.raises(ConflitDeVersion):
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=1,
            fields={"titre": "Second"},
            points_vigilance=[],
        )
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert fiche.titre == "Premier"
    assert fiche.version == 2
    assert fiche.points_vigilance.count() == 1
    assert len(_history(fiche)) == 2


def test_abandon_requires_a_reason_and_nothing_is_saved(fiche):
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=1,
            fields={"etat": "abandonnee", "titre": "Changé"},
        )
    assert "motif de l'abandon" in str(error.value)
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert (fiche.etat, fiche.titre, fiche.version) == ("non_demarree", "Fiche de test n°1", 1)


def test_duplicate_numbers_are_refused(fiche):
    with pytest.raises(ValidationError):
        make_fiche(fiche.contrat, numero=1)


@pytest.mark.parametrize(
    ("planned", "done", "etat", "late"),
    [
        (datetime.date(2026, 1, 31), None, "en_cours", True),
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 15), "en_cours", False),
        (datetime.date(2027, 1, 31), None, "en_cours", False),
        (None, None, "en_cours", False),
        (datetime.date(2026, 1, 31), None, "realisee", False),
        (datetime.date(2026, 1, 31), None, "abandonnee", False),
    ],
)
def test_a_fiche_is_late_when_a_milestone_is_past_due_and_not_done(
    fiche, planned, done, etat, late
):
    today = datetime.date(2026, 6, 1)
    Jalon.objects.filter(fiche=fiche).update(date_prevue=planned, date_realisation=done)
    FicheAction.objects.filter(pk=fiche.pk).update(etat=etat, motif_abandon="Raison")
    annotated = FicheAction.objects.with_retard(today).get(pk=fiche.pk)
    assert annotated.en_retard is late
    assert (fiche.pk in FicheAction.objects.en_retard(today).values_list("pk", flat=True)) is late

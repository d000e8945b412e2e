"""Historique : comparaison d'instantanés, révisions et verrou optimiste (`version_bump`)."""

import pytest

from pilotage.contrats.models import FicheAction
from pilotage.core.models import Revision
from pilotage.core.services import (
    Change,
    ConflitDeVersion,
    diff_snapshots,
    revision_record,
    version_bump,
)
from tests.factories import ContratFactory, UserFactory, make_fiche

# --- diff_snapshots -----------------------------------------------------------------


def test_identical_snapshots_have_no_difference():
    snapshot = {"titre": ("Titre", "A"), "constat": ("Constat", "")}
    assert diff_snapshots(snapshot, dict(snapshot)) == []


def test_a_changed_value_gives_its_field_label_old_and_new_values():
    old = {"titre": ("Titre", "Ancien"), "constat": ("Constat", "Même")}
    new = {"titre": ("Titre", "Nouveau"), "constat": ("Constat", "Même")}
    assert diff_snapshots(old, new) == [Change("titre", "Titre", "Ancien", "Nouveau")]


def test_changes_follow_the_order_of_the_new_snapshot():
    old = {"a": ("A", "1"), "b": ("B", "1"), "c": ("C", "1")}
    new = {"c": ("C", "2"), "a": ("A", "2"), "b": ("B", "1")}
    assert [c.field for c in diff_snapshots(old, new)] == ["c", "a"]


def test_from_an_empty_snapshot_only_filled_fields_are_changes():
    new = {"titre": ("Titre", "Nouveau"), "motif": ("Motif", ""), "etat": ("État", "En cours")}
    assert diff_snapshots({}, new) == [
        Change("titre", "Titre", "", "Nouveau"),
        Change("etat", "État", "", "En cours"),
    ]


def test_a_field_missing_from_the_new_snapshot_is_recorded_as_emptied():
    old = {"titre": ("Titre", "A"), "note": ("Note", "À retirer"), "vide": ("Vide", "")}
    new = {"titre": ("Titre", "A")}
    assert diff_snapshots(old, new) == [Change("note", "Note", "À retirer", "")]


def test_the_label_comes_from_the_new_snapshot_when_both_have_the_field():
    old = {"titre": ("Ancien libellé", "A")}
    new = {"titre": ("Titre de la fiche", "B")}
    assert diff_snapshots(old, new) == [Change("titre", "Titre de la fiche", "A", "B")]


def test_multiline_values_are_compared_as_whole_texts():
    old = {"acteurs": ("Acteurs", "CH\nARS")}
    new = {"acteurs": ("Acteurs", "ARS\nCH")}
    assert diff_snapshots(old, new) == [Change("acteurs", "Acteurs", "CH\nARS", "ARS\nCH")]


def test_a_change_is_immutable():
    change = Change("titre", "Titre", "A", "B")
    with pytest.raises(AttributeError):
        change.new_value = "C"


# --- version_bump -------------------------------------------------------------------


@pytest.fixture
def fiche(db):
    return make_fiche(ContratFactory(), numero=1)


def test_version_bump_increments_the_version_in_the_database_and_on_the_instance(fiche):
    assert version_bump(instance=fiche, expected_version=1) == 2
    assert fiche.version == 2
    assert FicheAction.objects.get(pk=fiche.pk).version == 2


def test_version_bump_from_a_stale_version_raises_a_conflict_and_changes_nothing(fiche):
    version_bump(instance=fiche, expected_version=1)
    stale = FicheAction.objects.get(pk=fiche.pk)
    stale.version = 1
    with pytest.raises(ConflitDeVersion) as error:
        version_bump(instance=stale, expected_version=1)
    assert error.value.instance is stale
    assert error.value.expected_version == 1
    assert str(error.value) == (
        "Cette fiche a été modifiée par une autre personne pendant votre saisie."
    )
    assert stale.version == 1
    assert FicheAction.objects.get(pk=fiche.pk).version == 2


def test_only_one_of_two_bumps_from_the_same_version_succeeds(fiche):
    first = FicheAction.objects.get(pk=fiche.pk)
    second = FicheAction.objects.get(pk=fiche.pk)
    version_bump(instance=first, expected_version=1)
    with pytest.raises(ConflitDeVersion):
        version_bump(instance=second, expected_version=1)
    assert FicheAction.objects.get(pk=fiche.pk).version == 2


def test_version_bump_checks_the_database_not_the_instance(fiche):
    FicheAction.objects.filter(pk=fiche.pk).update(version=5)
    assert fiche.version == 1
    with pytest.raises(ConflitDeVersion):
        version_bump(instance=fiche, expected_version=1)
    assert version_bump(instance=fiche, expected_version=5) == 6


def test_version_bump_only_touches_the_given_object(fiche):
    other = make_fiche(fiche.contrat, numero=2)
    version_bump(instance=fiche, expected_version=1)
    assert FicheAction.objects.get(pk=other.pk).version == 1


def test_successive_bumps_each_start_from_the_previous_version(fiche):
    for expected in range(1, 4):
        assert version_bump(instance=fiche, expected_version=expected) == expected + 1
    assert FicheAction.objects.get(pk=fiche.pk).version == 4


# --- revision_record ----------------------------------------------------------------


def test_a_revision_records_its_author_source_version_and_changes(fiche):
    author = UserFactory()
    changes = [Change("titre", "Titre", "A", "B"), Change("constat", "Constat", "", "C")]
    revision = revision_record(
        instance=fiche, user=author, changes=changes, version=2, comment="Réunion du 3 mars"
    )
    assert (revision.user, revision.source, revision.version, revision.comment) == (
        author,
        Revision.Source.SAISIE,
        2,
        "Réunion du 3 mars",
    )
    assert revision.target == fiche
    assert [(c.field, c.label, c.old_value, c.new_value) for c in revision.changes.all()] == [
        ("titre", "Titre", "A", "B"),
        ("constat", "Constat", "", "C"),
    ]


def test_a_revision_without_an_authenticated_author_is_attributed_to_nobody(fiche):
    from django.contrib.auth.models import AnonymousUser

    assert revision_record(instance=fiche, user=AnonymousUser(), changes=[]).user is None
    assert revision_record(instance=fiche, user=None, changes=[]).user is None


def test_a_long_comment_is_cut_to_500_characters(fiche):
    revision = revision_record(instance=fiche, user=None, changes=[], comment="x" * 600)
    revision.refresh_from_db()
    assert revision.comment == "x" * 500


def test_revisions_of_an_object_are_listed_newest_first_and_only_for_that_object(fiche):
    other = make_fiche(fiche.contrat, numero=2)
    first = revision_record(instance=fiche, user=None, changes=[], version=2)
    second = revision_record(instance=fiche, user=None, changes=[], version=3)
    revisions = list(Revision.objects.for_object(fiche))
    assert revisions[:2] == [second, first]
    assert all(r.object_id == fiche.pk for r in revisions)
    assert Revision.objects.for_object(other).count() == 1  # sa création

"""Services de séance (`reunions.services.seance`) : notes par auteur, modification
d'une décision et conflit de version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotage.core.services import ConflitDeVersion
from pilotage.reunions import permissions as reunion_permissions
from pilotage.reunions import services
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
)
from tests.reunions.services.helpers import (
    decide,
    point_of,
)

# --- Notes de séance ----------------------------------------------------------------------


def test_two_authors_in_the_same_encart_each_keep_their_own_note(reunion, pilote, referent):
    point = point_of(reunion, 1)
    mine = services.note_save(point=point, encart="positifs", auteur=pilote, texte="Mon texte")
    theirs = services.note_save(point=point, encart="positifs", auteur=referent, texte="Le sien")
    assert mine.pk != theirs.pk
    assert dict(point.notes.values_list("auteur", "texte")) == {
        pilote.pk: "Mon texte",
        referent.pk: "Le sien",
    }


def test_saving_again_updates_ones_own_note_only(reunion, pilote, referent):
    point = point_of(reunion, 1)
    first = services.note_save(point=point, encart="ameliorations", auteur=pilote, texte="Début")
    services.note_save(point=point, encart="ameliorations", auteur=referent, texte="Autre")
    again = services.note_save(
        point=point, encart="ameliorations", auteur=pilote, texte="Début, puis la suite"
    )
    assert again.pk == first.pk
    assert NoteSeance.objects.count() == 2
    assert NoteSeance.objects.get(auteur=pilote).texte == "Début, puis la suite"
    assert NoteSeance.objects.get(auteur=referent).texte == "Autre"


def test_the_two_encarts_of_one_author_are_separate_notes(reunion, pilote):
    point = point_of(reunion, 1)
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="Positif")
    services.note_save(point=point, encart="ameliorations", auteur=pilote, texte="À améliorer")
    assert dict(point.notes.values_list("encart", "texte")) == {
        "positifs": "Positif",
        "ameliorations": "À améliorer",
    }


def test_an_unknown_encart_is_refused(reunion, pilote):
    with pytest.raises(ValidationError, match="Encart inconnu"):
        services.note_save(point=point_of(reunion, 1), encart="decisions", auteur=pilote, texte="")
    assert not NoteSeance.objects.exists()


def test_only_pilots_and_referents_take_notes(reunion, pilote, referent, lecteur, etranger):
    assert reunion_permissions.can_take_notes(pilote, reunion)
    assert reunion_permissions.can_take_notes(referent, reunion)
    assert not reunion_permissions.can_take_notes(lecteur, reunion)
    assert not reunion_permissions.can_take_notes(etranger, reunion)


@pytest.mark.parametrize("who", ["lecteur", "etranger"])
def test_a_reader_cannot_write_notes_or_decisions_even_through_the_service(
    request, reunion, pilote, who
):
    user = request.getfixturevalue(who)
    point = point_of(reunion, 1)
    existing = decide(reunion, 1, "autre", auteur=pilote, texte="Décision du pilote")
    with pytest.raises(PermissionDenied):
        services.note_save(point=point, encart="positifs", auteur=user, texte="Intrusion")
    with pytest.raises(PermissionDenied):
        decide(reunion, 1, "autre", auteur=user)
    with pytest.raises(PermissionDenied):
        services.decision_update(
            decision=existing, user=user, expected_version=1, fields={"texte": "Intrusion"}
        )
    with pytest.raises(PermissionDenied):
        services.decision_delete(decision=existing, user=user)
    assert not NoteSeance.objects.exists()
    assert list(Decision.objects.values_list("texte", flat=True)) == ["Décision du pilote"]


# --- Modification d'une décision ----------------------------------------------------------


def test_updating_a_decision_raises_its_version(reunion, pilote):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Première rédaction")
    updated = services.decision_update(
        decision=decision,
        user=pilote,
        expected_version=1,
        fields={"texte": "Rédaction revue", "porteur": "DDETS"},
    )
    assert (updated.texte, updated.porteur, updated.version) == ("Rédaction revue", "DDETS", 2)


def test_updating_a_decision_with_a_stale_version_is_a_conflict(reunion, pilote, pilote_ddets):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Première rédaction")
    services.decision_update(
        decision=decision,
        user=pilote_ddets,
        expected_version=1,
        fields={"texte": "Version de Paul"},
    )
    with pytest.raises(ConflitDeVersion) as exc_info:
        services.decision_update(
            decision=decision,
            user=pilote,
            expected_version=1,
            fields={"texte": "Version de Claire"},
        )
    assert exc_info.value.expected_version == 1
    assert str(exc_info.value).startswith("Cette décision a été modifiée")
    decision.refresh_from_db()
    assert (decision.texte, decision.version) == ("Version de Paul", 2)


def test_an_invalid_update_does_not_raise_the_version(reunion, pilote):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Texte")
    with pytest.raises(ValidationError):
        services.decision_update(
            decision=decision,
            user=pilote,
            expected_version=1,
            fields={"categorie": "acteurs", "changement": {"action": "ajouter_acteur"}},
        )
    decision.refresh_from_db()
    assert (decision.categorie, decision.version) == ("autre", 1)


def test_an_applied_decision_can_no_longer_be_edited_or_deleted(reunion, pilote):
    decision = decide(
        reunion, 1, "acteurs", {"action": "ajouter_acteur", "nom": "CAF"}, auteur=pilote
    )
    services.decision_apply(decision=decision, user=pilote)
    decision.refresh_from_db()
    with pytest.raises(ValidationError, match="déjà été appliquée"):
        services.decision_update(
            decision=decision, user=pilote, expected_version=1, fields={"texte": "Autre"}
        )
    with pytest.raises(ValidationError, match="ne peut pas être supprimée"):
        services.decision_delete(decision=decision, user=pilote)
    assert Decision.objects.get(pk=decision.pk).texte == "Décision de test"

"""Circuit du compte rendu (`reunions.services.compte_rendu`) : tenue, soumission,
validation par les institutions pilotes, figement."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotage.reunions import selectors, services
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
    Reunion,
    ValidationCompteRendu,
)
from tests.factories import UserFactory, grant, make_reunion
from tests.reunions.helpers import at
from tests.reunions.services.helpers import (
    decide,
    messages,
    point_of,
)

# --- Compte rendu : tenue, soumission, validation, figement -------------------------------


def test_the_three_pilot_institutions_validate_the_report(reunion, pilotes):
    assert [i.nom for i in selectors.institutions_validatrices(reunion)] == [
        "ARS Nouvelle-Aquitaine",
        "Conseil départemental de la Creuse",
        "DDETS de la Creuse",
    ]


def test_holding_a_past_meeting_marks_it_held(reunion, pilote):
    services.reunion_tenir(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.TENUE


def test_a_future_meeting_cannot_be_marked_held_nor_its_report_submitted(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(10))
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.reunion_tenir(reunion=reunion, user=pilote)
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.compte_rendu_submit(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE


def test_only_a_pilot_marks_a_meeting_held(reunion, referent):
    with pytest.raises(PermissionDenied):
        services.reunion_tenir(reunion=reunion, user=referent)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE


def test_report_is_frozen_once_the_three_institutions_have_validated(reunion, pilotes):
    services.reunion_tenir(reunion=reunion, user=pilotes[0])
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.EN_VALIDATION
    for user in pilotes[:2]:
        services.compte_rendu_validate(reunion=reunion, user=user, avis="valide")
        reunion.refresh_from_db()
        assert reunion.statut == Reunion.Statut.EN_VALIDATION and reunion.fige_le is None
    services.compte_rendu_validate(reunion=reunion, user=pilotes[2], avis="valide")
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.FIGEE and reunion.est_figee
    assert reunion.fige_le is not None
    assert set(reunion.validations.values_list("institution__nom", "avis")) == {
        ("Conseil départemental de la Creuse", "valide"),
        ("DDETS de la Creuse", "valide"),
        ("ARS Nouvelle-Aquitaine", "valide"),
    }


def test_a_past_planned_meeting_can_be_submitted_directly(reunion, pilote):
    services.compte_rendu_submit(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.EN_VALIDATION


def test_a_second_validation_by_the_same_institution_replaces_the_first(reunion, pilotes, contrat):
    collegue = UserFactory(institution=pilotes[0].institution)
    grant(collegue, contrat)
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    services.compte_rendu_validate(reunion=reunion, user=pilotes[0], avis="valide")
    services.compte_rendu_validate(reunion=reunion, user=collegue, avis="valide")
    assert reunion.validations.count() == 1
    assert reunion.validations.get().user == collegue
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.EN_VALIDATION


def test_remarks_send_the_report_back_and_a_new_round_starts_from_scratch(reunion, pilotes):
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    services.compte_rendu_validate(reunion=reunion, user=pilotes[0], avis="valide")
    validation = services.compte_rendu_validate(
        reunion=reunion, user=pilotes[1], avis="remarques", commentaire=" Ajouter la PJJ "
    )
    assert validation.commentaire == "Ajouter la PJJ"
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.TENUE and reunion.fige_le is None
    # les notes redeviennent modifiables pour intégrer les remarques
    services.note_save(
        point=point_of(reunion, 1), encart="positifs", auteur=pilotes[0], texte="Avec la PJJ"
    )
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    assert not reunion.validations.exists()


def test_remarks_without_comment_are_refused(reunion, pilotes):
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    with pytest.raises(ValidationError) as exc_info:
        services.compte_rendu_validate(reunion=reunion, user=pilotes[1], avis="remarques")
    assert "Précisez les remarques" in messages(exc_info)
    assert not reunion.validations.exists()
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.EN_VALIDATION


def test_an_unknown_opinion_is_refused(reunion, pilotes):
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    with pytest.raises(ValidationError, match="Avis inconnu"):
        services.compte_rendu_validate(reunion=reunion, user=pilotes[0], avis="peut-etre")
    assert not ValidationCompteRendu.objects.exists()


@pytest.mark.parametrize("who", ["lecteur", "referent", "etranger"])
def test_a_non_pilot_cannot_validate_the_report(request, reunion, pilote, who):
    services.compte_rendu_submit(reunion=reunion, user=pilote)
    with pytest.raises(PermissionDenied, match="Seuls les pilotes"):
        services.compte_rendu_validate(
            reunion=reunion, user=request.getfixturevalue(who), avis="valide"
        )
    assert not ValidationCompteRendu.objects.exists()


def test_a_report_not_submitted_cannot_be_validated(reunion, pilote):
    with pytest.raises(ValidationError, match="n'est pas en cours de validation"):
        services.compte_rendu_validate(reunion=reunion, user=pilote, avis="valide")
    assert not ValidationCompteRendu.objects.exists()


def test_a_cancelled_meeting_has_no_report_to_submit(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(-5))
    services.reunion_cancel(reunion=reunion, user=pilote)
    with pytest.raises(ValidationError, match="annulée"):
        services.compte_rendu_submit(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.ANNULEE


def test_a_future_meeting_report_cannot_be_submitted(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(10))
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.compte_rendu_submit(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE


def test_a_report_already_in_validation_cannot_be_submitted_again(reunion, pilotes):
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    services.compte_rendu_validate(reunion=reunion, user=pilotes[1], avis="valide")
    with pytest.raises(ValidationError, match="déjà en cours de validation"):
        services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    assert reunion.validations.count() == 1  # la validation déjà donnée n'est pas perdue


def test_only_a_pilot_submits_the_report(reunion, referent):
    with pytest.raises(PermissionDenied):
        services.compte_rendu_submit(reunion=reunion, user=referent)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE


@pytest.fixture
def figee(reunion, pilotes):
    """La réunion, avec une note et une décision, au compte rendu validé par tous."""
    point = point_of(reunion, 1)
    services.note_save(point=point, encart="positifs", auteur=pilotes[0], texte="Texte validé")
    decide(reunion, 1, "autre", auteur=pilotes[0], texte="Décision validée")
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    for user in pilotes:
        services.compte_rendu_validate(reunion=reunion, user=user, avis="valide")
    reunion.refresh_from_db()
    assert reunion.est_figee
    return reunion


def test_notes_of_a_frozen_report_can_no_longer_be_changed(figee, pilotes):
    point = point_of(figee, 1)
    for auteur in pilotes[:2]:  # ni la sienne, ni en créer une nouvelle
        with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
            services.note_save(point=point, encart="positifs", auteur=auteur, texte="Réécrit")
    assert list(NoteSeance.objects.values_list("texte", flat=True)) == ["Texte validé"]


def test_decisions_of_a_frozen_report_can_no_longer_be_changed(figee, pilotes):
    decision = Decision.objects.get()
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        decide(figee, 2, "autre", auteur=pilotes[0])
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        services.decision_update(
            decision=decision, user=pilotes[0], expected_version=1, fields={"texte": "Autre"}
        )
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        services.decision_delete(decision=decision, user=pilotes[0])
    assert list(Decision.objects.values_list("texte", flat=True)) == ["Décision validée"]


def test_a_frozen_meeting_cannot_be_reopened_resubmitted_or_cancelled(figee, pilotes):
    for action in (services.reunion_tenir, services.compte_rendu_submit, services.reunion_cancel):
        with pytest.raises(ValidationError):
            action(reunion=figee, user=pilotes[0])
    with pytest.raises(ValidationError):
        services.compte_rendu_validate(
            reunion=figee, user=pilotes[0], avis="remarques", commentaire="Trop tard"
        )
    figee.refresh_from_db()
    assert figee.statut == Reunion.Statut.FIGEE
    assert figee.validations.count() == 3


def test_notes_and_decisions_are_locked_while_the_report_is_being_validated(reunion, pilotes):
    point = point_of(reunion, 1)
    services.note_save(point=point, encart="positifs", auteur=pilotes[0], texte="Lu et relu")
    decision = decide(reunion, 1, "autre", auteur=pilotes[0], texte="Décision soumise")
    services.compte_rendu_submit(reunion=reunion, user=pilotes[0])
    services.compte_rendu_validate(reunion=reunion, user=pilotes[1], avis="valide")
    with pytest.raises(ValidationError, match="en cours de validation"):
        services.note_save(point=point, encart="positifs", auteur=pilotes[0], texte="Changé")
    with pytest.raises(ValidationError, match="en cours de validation"):
        decide(reunion, 2, "autre", auteur=pilotes[0])
    with pytest.raises(ValidationError, match="en cours de validation"):
        services.decision_update(
            decision=decision, user=pilotes[0], expected_version=1, fields={"texte": "Autre"}
        )
    assert list(NoteSeance.objects.values_list("texte", flat=True)) == ["Lu et relu"]
    assert list(Decision.objects.values_list("texte", flat=True)) == ["Décision soumise"]
    # Une demande de modifications rouvre la séance.
    services.compte_rendu_validate(
        reunion=reunion, user=pilotes[2], avis="remarques", commentaire="Préciser le porteur."
    )
    reunion.refresh_from_db()
    services.note_save(point=point, encart="positifs", auteur=pilotes[0], texte="Corrigé")
    assert list(NoteSeance.objects.values_list("texte", flat=True)) == ["Corrigé"]


def test_nothing_can_be_recorded_in_a_cancelled_meeting(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    services.reunion_cancel(reunion=reunion, user=pilote)
    reunion.refresh_from_db()
    with pytest.raises(ValidationError, match="annulée"):
        services.note_save(
            point=point_of(reunion, 1), encart="positifs", auteur=pilote, texte="Note"
        )
    with pytest.raises(ValidationError, match="annulée"):
        decide(reunion, 1, "autre", auteur=pilote)
    assert not NoteSeance.objects.exists() and not Decision.objects.exists()


def test_a_decision_of_a_frozen_meeting_can_still_be_closed(figee, pilotes):
    # le compte rendu fige ce qui a été dit ; le suivi de la décision se poursuit ensuite
    decision = Decision.objects.get()
    services.decision_close(decision=decision, user=pilotes[0], commentaire="Fait")
    decision.refresh_from_db()
    assert not decision.est_ouverte

"""Décisions : les mêmes droits qu'en séance dans les services (un référent ne touche qu'à
ses propres décisions, sur ses fiches) et un historique de chaque écriture, suppression
comprise."""

import pytest
from django.core.exceptions import PermissionDenied

from pilotage.core.models import Revision
from pilotage.reunions import selectors, services
from pilotage.reunions.models import Decision
from tests.reunions.services.helpers import decide, point_of


@pytest.fixture
def referent_fiche_1(reunion, referent):
    """Le référent est désigné sur la fiche n°1 (et sur aucune autre)."""
    point_of(reunion, 1).fiche.referents.add(referent)
    return referent


def history(decision):
    return list(Revision.objects.for_object(decision).order_by("pk"))


def test_referent_cannot_edit_a_pilots_decision(reunion, pilote, referent_fiche_1):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Décision du pilote")
    with pytest.raises(PermissionDenied):
        services.decision_update(
            decision=decision,
            user=referent_fiche_1,
            expected_version=1,
            fields={"texte": "Réécrite par le référent"},
        )
    decision.refresh_from_db()
    assert (decision.texte, decision.version) == ("Décision du pilote", 1)


def test_referent_cannot_delete_a_pilots_decision(reunion, pilote, referent_fiche_1):
    decision = decide(reunion, 1, "autre", auteur=pilote)
    with pytest.raises(PermissionDenied):
        services.decision_delete(decision=decision, user=referent_fiche_1)
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_referent_cannot_record_a_decision_on_a_fiche_they_are_not_referent_of(
    reunion, referent_fiche_1
):
    with pytest.raises(PermissionDenied, match="référents de cette fiche"):
        services.decision_create(
            point=point_of(reunion, 2),
            auteur=referent_fiche_1,
            fields={"categorie": "autre", "texte": "Sur la fiche d'un autre"},
        )
    assert not Decision.objects.exists()


def test_referent_records_edits_and_deletes_their_own_decision_on_their_fiche(
    reunion, referent_fiche_1
):
    decision = decide(reunion, 1, "autre", auteur=referent_fiche_1, texte="Première rédaction")
    assert decision.peut_modifier(referent_fiche_1)
    services.decision_update(
        decision=decision, user=referent_fiche_1, expected_version=1, fields={"texte": "Revue"}
    )
    services.decision_delete(decision=decision, user=referent_fiche_1)
    assert not Decision.objects.exists()


def test_pilot_edits_and_deletes_anyones_decision(reunion, pilote, pilote_ddets, referent_fiche_1):
    mine = decide(reunion, 1, "autre", auteur=referent_fiche_1)
    other = decide(reunion, 2, "autre", auteur=pilote_ddets)
    services.decision_update(decision=mine, user=pilote, expected_version=1, fields={"texte": "R"})
    services.decision_delete(decision=other, user=pilote)
    assert list(Decision.objects.values_list("texte", flat=True)) == ["R"]


def test_every_change_of_a_decision_is_in_its_history_with_author_and_date(
    reunion, pilote, referent_fiche_1
):
    decision = decide(reunion, 1, "autre", auteur=referent_fiche_1, texte="Rédaction du référent")
    services.decision_update(
        decision=decision, user=pilote, expected_version=1, fields={"texte": "Revue par Claire"}
    )
    decision = Decision.objects.get(pk=decision.pk)
    services.decision_close(decision=decision, user=pilote, commentaire="Fait")
    services.decision_reopen(decision=decision, user=pilote)
    revisions = history(decision)
    assert [(r.comment, r.user) for r in revisions] == [
        ("Décision consignée", referent_fiche_1),
        ("Décision modifiée", pilote),
        ("Décision close", pilote),
        ("Décision rouverte", pilote),
    ]
    assert all(r.created_at for r in revisions)
    modification = {c.field: (c.old_value, c.new_value) for c in revisions[1].changes.all()}
    assert modification == {"texte": ("Rédaction du référent", "Revue par Claire")}
    closing = {c.field: (c.old_value, c.new_value) for c in revisions[2].changes.all()}
    assert closing["statut"] == ("Ouverte", "Close")
    assert closing["commentaire_cloture"] == ("", "Fait")


def test_applying_a_decision_is_in_its_history(reunion, pilote):
    changement = {"action": "ajouter_acteur", "nom": "Mission locale", "implication": "Relais"}
    decision = decide(reunion, 1, "acteurs", changement, auteur=pilote)
    services.decision_apply(decision=decision, user=pilote)
    last = history(decision)[-1]
    assert (last.comment, last.user) == ("Décision appliquée à la fiche", pilote)
    assert {c.field: c.new_value for c in last.changes.all()} == {"appliquee": "Oui"}


def test_a_deleted_decision_leaves_a_trace_with_its_text_and_who_deleted_it(
    reunion, pilote, referent_fiche_1
):
    decision = decide(reunion, 1, "autre", auteur=referent_fiche_1, texte="À retirer")
    services.decision_delete(decision=decision, user=pilote)
    [trace] = selectors.decisions_supprimees(reunion.contrat)
    assert trace.user == pilote
    assert "À retirer" in trace.comment
    assert "fiche n°1" in trace.comment
    assert {c.field: c.old_value for c in trace.changes.all()}["texte"] == "À retirer"

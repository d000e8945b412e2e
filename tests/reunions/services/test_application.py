"""Application des décisions à la fiche (`reunions.services.application`) : chaque type
de décision, et le refus sans rien changer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotage.contrats.models import Etat
from pilotage.contrats.services import fiche_update
from pilotage.core.models import Revision
from pilotage.reunions import permissions as reunion_permissions
from pilotage.reunions import services
from pilotage.reunions.models import (
    Decision,
)
from tests.reunions.services.helpers import (
    decide,
    decision_state,
    fiche,
    messages,
    point_of,
    state,
)

# --- Application des décisions ------------------------------------------------------------


def assert_applied(decision, revision, fiche_obj, user):
    """La décision est marquée appliquée et reliée à la révision « décision » de la fiche."""
    decision.refresh_from_db()
    reunion = decision.point.reunion
    assert decision.est_appliquee and not decision.applicable
    assert decision.appliquee_par == user
    assert decision.revision == revision
    assert revision.decision == decision
    assert revision.source == Revision.Source.DECISION
    assert revision.object_id == fiche_obj.pk
    assert revision.user == user
    date = timezone.localtime(reunion.date).strftime("%d/%m/%Y")
    assert revision.comment == f"Comité de suivi du {date} – décision : {decision.texte}"
    assert revision.changes.exists()


def test_applications_cover_every_decision_type():
    assert set(services.APPLICATIONS) == set(Decision.Categorie.values)
    actions = {a for by_type in services.APPLICATIONS.values() for a in by_type}
    assert actions == {
        "ajouter_acteur",
        "modifier_implication",
        "ajouter_financement",
        "transferer",
        "modifier_indicateur",
        "deplacer_jalon",
        "ajouter_vigilance",
        "lever_vigilance",
        "abandonner",
        "relancer",
    }


def test_add_actor_adds_a_row_to_the_fiche(contrat, pilote, reunion):
    decision = decide(
        reunion,
        1,
        "acteurs",
        {"action": "ajouter_acteur", "nom": " CAF de la Creuse ", "implication": "Financeur"},
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert list(f.acteurs.values_list("nom", "implication")) == [
        ("CH", ""),
        ("ARS", ""),
        ("CAF de la Creuse", "Financeur"),
    ]
    assert f.version == 2
    assert_applied(decision, revision, f, pilote)


def test_change_involvement_updates_only_that_actor(contrat, pilote, reunion):
    ars = fiche(1, contrat).acteurs.get(nom="ARS")
    decision = decide(
        reunion,
        1,
        "acteurs",
        {"action": "modifier_implication", "acteur": ars.pk, "implication": "Co-pilote"},
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert list(f.acteurs.values_list("pk", "nom", "implication")) == [
        (f.acteurs.get(nom="CH").pk, "CH", ""),
        (ars.pk, "ARS", "Co-pilote"),
    ]
    assert_applied(decision, revision, f, pilote)


@pytest.mark.parametrize("montant", ["15 000", "-5000,50"])
def test_arbitration_adds_or_withdraws_an_amount(contrat, pilote, reunion, montant):
    decision = decide(
        reunion,
        1,
        "moyens",
        {"action": "ajouter_financement", "financeur": "cd", "montant": montant, "annee": "2026"},
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    expected = Decimal(montant.replace(" ", "").replace(",", "."))
    added = f.financements.get(annee=2026)
    assert (added.financeur, added.montant) == ("cd", expected)
    date = timezone.localtime(reunion.date).strftime("%d/%m/%Y")
    assert added.note == f"Décision du {date} : arbitrage"
    assert f.financements.count() == 3
    assert_applied(decision, revision, f, pilote)


def test_transfer_moves_amount_between_fiches(contrat, pilote, reunion):
    decision = decide(
        reunion,
        1,
        "moyens",
        {
            "action": "transferer",
            "vers_fiche": 2,
            "montant": "5000",
            "financeur": "etat",
            "annee": 2026,
        },
        auteur=pilote,
        texte="Redéployer 5 000 € vers la fiche 2",
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    source, cible = fiche(1, contrat), fiche(2, contrat)
    retrait = source.financements.get(annee=2026)
    ajout = cible.financements.get(annee=2026)
    assert (retrait.financeur, retrait.montant) == ("etat", Decimal("-5000"))
    assert (ajout.financeur, ajout.montant) == ("etat", Decimal("5000"))
    assert "transfert vers la fiche n°2" in retrait.note
    assert "transfert de la fiche n°1" in ajout.note
    assert (source.version, cible.version) == (2, 2)
    assert_applied(decision, revision, source, pilote)
    # la fiche qui reçoit a sa propre révision « décision », au même commentaire
    recue = Revision.objects.for_object(cible).get(source=Revision.Source.DECISION)
    assert recue.comment == revision.comment
    decision.refresh_from_db()
    assert decision.revision_recue == recue and recue.decision_recue == decision
    assert fiche(3, contrat).financements.count() == 2


def test_change_indicator_updates_its_target_and_label(contrat, pilote, reunion):
    indicateur = fiche(1, contrat).indicateurs.get()
    decision = decide(
        reunion,
        1,
        "indicateurs",
        {
            "action": "modifier_indicateur",
            "indicateur": indicateur.pk,
            "cible": "25",
            "libelle": "Nombre d'EPP réalisés dans l'année",
        },
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    indicateur.refresh_from_db()
    assert (indicateur.cible, indicateur.libelle) == (
        Decimal("25"),
        "Nombre d'EPP réalisés dans l'année",
    )
    assert_applied(decision, revision, fiche(1, contrat), pilote)


def test_move_milestone_changes_its_planned_date_and_period(contrat, pilote, reunion):
    jalon = fiche(1, contrat).jalons.get()
    decision = decide(
        reunion,
        1,
        "calendrier",
        {
            "action": "deplacer_jalon",
            "jalon": jalon.pk,
            "date_prevue": "2026-10-01",
            "periode": "Automne 2026",
        },
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    jalon.refresh_from_db()
    assert (jalon.date_prevue, jalon.periode) == (datetime.date(2026, 10, 1), "Automne 2026")
    assert jalon.libelle == "Signature de la convention"
    assert_applied(decision, revision, fiche(1, contrat), pilote)


def test_add_vigilance_point(contrat, pilote, reunion):
    decision = decide(
        reunion,
        1,
        "vigilance",
        {"action": "ajouter_vigilance", "libelle": "Départ du médecin de PMI"},
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert list(f.points_vigilance.values_list("libelle", flat=True)) == [
        "Natalité en baisse",
        "Départ du médecin de PMI",
    ]
    assert_applied(decision, revision, f, pilote)


def test_lift_vigilance_removes_only_that_point(contrat, pilote, reunion):
    point = fiche(1, contrat).points_vigilance.get()
    decision = decide(
        reunion, 1, "vigilance", {"action": "lever_vigilance", "point": point.pk}, auteur=pilote
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert not f.points_vigilance.exists()
    assert fiche(2, contrat).points_vigilance.count() == 1
    assert_applied(decision, revision, f, pilote)


def test_abandon_sets_the_state_reason_and_receiving_fiche(contrat, pilote, reunion):
    decision = decide(
        reunion,
        1,
        "etat",
        {"action": "abandonner", "motif": "Action reprise par la fiche 2", "fiche_beneficiaire": 2},
        auteur=pilote,
    )
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert (f.etat, f.motif_abandon, f.fiche_beneficiaire) == (
        Etat.ABANDONNEE,
        "Action reprise par la fiche 2",
        fiche(2, contrat),
    )
    assert_applied(decision, revision, f, pilote)


def test_abandon_without_reason_uses_the_decision_text(contrat, pilote, reunion):
    decision = decide(
        reunion, 1, "etat", {"action": "abandonner"}, auteur=pilote, texte="Abandon faute de moyens"
    )
    services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert (f.etat, f.motif_abandon, f.fiche_beneficiaire) == (
        Etat.ABANDONNEE,
        "Abandon faute de moyens",
        None,
    )


def test_relaunch_brings_an_abandoned_fiche_back_in_progress(contrat, pilote, reunion):
    fiche_update(
        fiche=fiche(1, contrat),
        user=pilote,
        expected_version=1,
        fields={
            "etat": Etat.ABANDONNEE,
            "motif_abandon": "Reprise ailleurs",
            "fiche_beneficiaire": fiche(2, contrat),
        },
    )
    decision = decide(reunion, 1, "etat", {"action": "relancer"}, auteur=pilote)
    revision = services.decision_apply(decision=decision, user=pilote)
    f = fiche(1, contrat)
    assert (f.etat, f.motif_abandon, f.fiche_beneficiaire) == (Etat.EN_COURS, "", None)
    assert_applied(decision, revision, f, pilote)


def test_a_decision_is_applied_only_once(contrat, pilote, reunion):
    decision = decide(
        reunion, 1, "acteurs", {"action": "ajouter_acteur", "nom": "CAF"}, auteur=pilote
    )
    services.decision_apply(decision=decision, user=pilote)
    before, applied = state(1, contrat), decision_state(decision)
    with pytest.raises(ValidationError) as exc_info:
        services.decision_apply(decision=decision, user=pilote)
    assert "déjà été appliquée" in messages(exc_info)
    assert state(1, contrat) == before
    assert decision_state(decision) == applied
    assert fiche(1, contrat).acteurs.filter(nom="CAF").count() == 1


def test_relaunching_a_fiche_already_in_progress_changes_nothing(contrat, pilote, reunion):
    fiche_update(
        fiche=fiche(1, contrat), user=pilote, expected_version=1, fields={"etat": Etat.EN_COURS}
    )
    decision = decide(reunion, 1, "etat", {"action": "relancer"}, auteur=pilote)
    before, undecided = state(1, contrat), decision_state(decision)
    with pytest.raises(ValidationError) as exc_info:
        services.decision_apply(decision=decision, user=pilote)
    assert "déjà dans l'état demandé" in messages(exc_info)
    assert state(1, contrat) == before
    assert decision_state(decision) == undecided


def _other_fiche_jalon(contrat):
    return fiche(2, contrat).jalons.get().pk


def _missing_actor(contrat):
    return max(fiche(1, contrat).acteurs.values_list("pk", flat=True)) + 1000


#: Changements invalides : (catégorie, fabrique du changement, message attendu).
INVALID = {
    "amount_not_a_number": (
        "moyens",
        lambda c: {"action": "ajouter_financement", "financeur": "etat", "montant": "abc"},
        "Le montant doit être un nombre",
    ),
    "milestone_of_another_fiche": (
        "calendrier",
        lambda c: {
            "action": "deplacer_jalon",
            "jalon": _other_fiche_jalon(c),
            "date_prevue": "2026-10-01",
        },
        "Étape du calendrier introuvable sur cette fiche.",
    ),
    "unknown_actor": (
        "acteurs",
        lambda c: {"action": "modifier_implication", "acteur": _missing_actor(c)},
        "Acteur introuvable sur cette fiche.",
    ),
    "transfer_to_another_contract": (
        "moyens",
        lambda c: {"action": "transferer", "vers_fiche": 7, "montant": "1000"},
        "Choisissez une autre fiche du même contrat",
    ),
    "transfer_to_itself": (
        "moyens",
        lambda c: {"action": "transferer", "vers_fiche": 1, "montant": "1000"},
        "Choisissez une autre fiche du même contrat",
    ),
    "transfer_to_a_forged_fiche_number": (
        "moyens",
        lambda c: {"action": "transferer", "vers_fiche": "abc", "montant": "1000"},
        "Choisissez une autre fiche du même contrat",
    ),
    "year_out_of_range": (
        "moyens",
        lambda c: {"action": "ajouter_financement", "montant": "10", "annee": 99999999999},
        "L'année doit être comprise entre 2000 et 2100.",
    ),
    "receiving_fiche_forged_number": (
        "etat",
        lambda c: {"action": "abandonner", "motif": "Reprise", "fiche_beneficiaire": "abc"},
        "La fiche qui reçoit les crédits est introuvable.",
    ),
    "receiving_fiche_of_another_contract": (
        "etat",
        lambda c: {"action": "abandonner", "motif": "Reprise", "fiche_beneficiaire": 7},
        "La fiche qui reçoit les crédits est introuvable.",
    ),
    "action_of_another_type": (
        "vigilance",
        lambda c: {"action": "ajouter_acteur", "nom": "CAF"},
        "ne correspond pas au type de décision",
    ),
    "bad_date": (
        "calendrier",
        lambda c: {
            "action": "deplacer_jalon",
            "jalon": fiche(1, c).jalons.get().pk,
            "date_prevue": "01/10/2026",
        },
        "AAAA-MM-JJ",
    ),
}


@pytest.mark.parametrize("case", INVALID)
def test_an_invalid_change_is_refused_when_the_decision_is_recorded(
    contrat, pilote, reunion, autre_contrat, case
):
    categorie, changement, message = INVALID[case]
    with pytest.raises(ValidationError) as exc_info:
        decide(reunion, 1, categorie, changement(contrat), auteur=pilote)
    assert message in messages(exc_info)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("case", [c for c in INVALID if c != "action_of_another_type"])
def test_an_invalid_change_is_refused_when_applied_and_changes_nothing(
    contrat, pilote, reunion, autre_contrat, case
):
    categorie, changement, message = INVALID[case]
    # enregistrée hors service : une donnée ancienne ou devenue fausse depuis la séance
    decision = Decision.objects.create(
        point=point_of(reunion, 1),
        categorie=categorie,
        texte="Décision devenue inapplicable",
        changement=changement(contrat),
        auteur=pilote,
    )
    before = {n: state(n, contrat) for n in (1, 2)}
    revisions = Revision.objects.count()
    undecided = decision_state(decision)
    with pytest.raises(ValidationError) as exc_info:
        services.decision_apply(decision=decision, user=pilote)
    assert message in messages(exc_info)
    assert {n: state(n, contrat) for n in (1, 2)} == before
    assert Revision.objects.count() == revisions
    assert decision_state(decision) == undecided
    assert autre_contrat.fiches.get().financements.count() == 2


def test_a_transfer_refused_by_the_receiving_fiche_leaves_both_fiches_untouched(
    contrat, pilote, reunion
):
    decision = decide(
        reunion,
        1,
        "moyens",
        {"action": "transferer", "vers_fiche": 2, "montant": "1000"},
        auteur=pilote,
    )
    fiche(2, contrat).delete()  # supprimée entre la séance et l'application
    before = state(1, contrat)
    with pytest.raises(ValidationError):
        services.decision_apply(decision=decision, user=pilote)
    assert state(1, contrat) == before
    assert not Decision.objects.get(pk=decision.pk).est_appliquee


def test_an_other_decision_has_nothing_to_apply(contrat, pilote, reunion):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Inviter la PJJ")
    assert decision.changement == {}
    assert not decision.applicable
    assert services.APPLICATIONS[Decision.Categorie.AUTRE] == {}
    before, undecided = state(1, contrat), decision_state(decision)
    with pytest.raises(ValidationError) as exc_info:
        services.decision_apply(decision=decision, user=pilote)
    assert "n'est pas applicable" in messages(exc_info)
    assert state(1, contrat) == before
    assert decision_state(decision) == undecided


@pytest.mark.parametrize("who", ["lecteur", "referent", "etranger"])
def test_only_pilots_of_the_contract_apply_a_decision(request, contrat, pilote, reunion, who):
    user = request.getfixturevalue(who)
    decision = decide(
        reunion, 1, "acteurs", {"action": "ajouter_acteur", "nom": "CAF"}, auteur=pilote
    )
    before, undecided = state(1, contrat), decision_state(decision)
    # le service lève PermissionDenied : Django répond 403
    with pytest.raises(PermissionDenied, match="Seuls les pilotes"):
        services.decision_apply(decision=decision, user=user)
    assert state(1, contrat) == before
    assert decision_state(decision) == undecided
    assert not reunion_permissions.can_apply(user, decision)

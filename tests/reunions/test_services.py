"""Services des réunions appelés directement, sans les vues : date proposée, ordre du
jour, décisions reportées, application de chaque type de décision à la fiche (et refus
sans rien changer), notes de séance par auteur, conflit de version, circuit du compte
rendu jusqu'au figement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotage.contrats.models import Etat, FicheAction, Habilitation
from pilotage.contrats.services import fiche_snapshot, fiche_update
from pilotage.core.models import Revision
from pilotage.core.services import ConflitDeVersion
from pilotage.reunions import permissions as reunion_permissions
from pilotage.reunions import selectors, services
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
    PointOrdreDuJour,
    Reunion,
    ValidationCompteRendu,
)
from pilotage.territoires.models import Departement, Institution
from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant, make_fiche

SIGNATURE = datetime.date(2025, 3, 1)


def at(days: int, hour: int = 14) -> datetime.datetime:
    """Une date locale à `days` jours d'aujourd'hui, à `hour` heures."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def messages(exc_info) -> str:
    """Tous les messages d'une ValidationError, mis bout à bout."""
    return " ".join(exc_info.value.messages)


# --- Données ----------------------------------------------------------------------------


@pytest.fixture
def contrat(db):
    return ContratFactory(date_signature=SIGNATURE)


def _pilote(contrat, nom, type_, first_name):
    user = UserFactory(first_name=first_name, institution=InstitutionFactory(nom=nom, type=type_))
    grant(user, contrat)
    return user


@pytest.fixture
def pilote(contrat):
    return _pilote(contrat, "Conseil départemental de la Creuse", Institution.Type.CD, "Claire")


@pytest.fixture
def pilote_ddets(contrat):
    return _pilote(contrat, "DDETS de la Creuse", Institution.Type.DDETS, "Paul")


@pytest.fixture
def pilote_ars(contrat):
    return _pilote(contrat, "ARS Nouvelle-Aquitaine", Institution.Type.ARS, "Anne")


@pytest.fixture
def referent(contrat):
    user = UserFactory(first_name="Rémi")
    grant(user, contrat, Habilitation.Role.REFERENT)
    return user


@pytest.fixture
def lecteur(contrat):
    user = UserFactory(first_name="Luc")
    grant(user, contrat, Habilitation.Role.LECTEUR)
    return user


@pytest.fixture
def autre_contrat(db):
    """Contrat de la Corrèze, avec une fiche n°7 (numéro absent du contrat de la Creuse)."""
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    make_fiche(autre, 7)
    return autre


@pytest.fixture
def etranger(autre_contrat):
    """Pilote d'un autre département."""
    user = UserFactory(first_name="Étienne")
    grant(user, autre_contrat)
    return user


@pytest.fixture
def fiches(contrat, pilote):
    return [
        make_fiche(contrat, 1, user=pilote, a_impact=True),
        make_fiche(contrat, 2, user=pilote),
        make_fiche(contrat, 3, user=pilote, a_impact=True),
        make_fiche(contrat, 4, user=pilote),
    ]


def make_reunion(contrat, user, when, selection=(), **fields) -> Reunion:
    return services.reunion_create(
        contrat=contrat,
        user=user,
        fields={"date": when, "lieu": "Hôtel du département, Guéret", "ordre_du_jour": "toutes"}
        | fields,
        selection=selection,
    )


@pytest.fixture
def reunion(contrat, pilote, fiches):
    """Une réunion tenue il y a deux jours, toutes les fiches à l'ordre du jour."""
    return make_reunion(contrat, pilote, at(-2))


def numeros(points) -> list[int]:
    return sorted(p.fiche.numero for p in points)


def point_of(reunion, numero) -> PointOrdreDuJour:
    return reunion.points.get(fiche__numero=numero)


def decide(reunion, numero, categorie, changement=None, *, auteur, texte="Décision de test"):
    return services.decision_create(
        point=point_of(reunion, numero),
        auteur=auteur,
        fields={"categorie": categorie, "texte": texte, "changement": changement or {}},
    )


def fiche(numero, contrat) -> FicheAction:
    return FicheAction.objects.get(contrat=contrat, numero=numero)


def state(numero, contrat):
    """Ce qui pourrait changer : rubriques lisibles de la fiche, version, historique."""
    current = fiche(numero, contrat)
    return (
        fiche_snapshot(current),
        current.version,
        list(Revision.objects.for_object(current).values_list("pk", flat=True)),
    )


def decision_state(decision):
    decision = Decision.objects.get(pk=decision.pk)
    return (decision.revision_id, decision.appliquee_le, decision.appliquee_par_id, decision.statut)


# --- Date proposée pour la prochaine réunion ---------------------------------------------


def test_without_any_meeting_or_signature_the_window_starts_from_today(db):
    contrat = ContratFactory(departement=Departement.objects.get(code="19"), date_signature=None)
    today = datetime.date(2026, 1, 31)
    proposition = selectors.prochaine_reunion(contrat, today=today)
    assert proposition.derniere is None and proposition.alerte
    # fin de mois : le 31 janvier + 6 mois est le 31 juillet, + 8 mois le 30 septembre
    assert (proposition.debut, proposition.fin) == (
        datetime.date(2026, 7, 31),
        datetime.date(2026, 9, 30),
    )


def test_the_window_is_late_when_the_last_meeting_is_more_than_8_months_old(contrat, pilote):
    derniere = make_reunion(contrat, pilote, at(-300))
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.derniere == derniere
    assert proposition.fin < timezone.localdate()
    assert proposition.alerte and proposition.en_retard


def test_a_planned_meeting_removes_the_warning_even_when_the_window_is_past(contrat, pilote):
    make_reunion(contrat, pilote, at(-300))
    prochaine = make_reunion(contrat, pilote, at(15))
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.prochaine == prochaine
    assert not proposition.alerte and not proposition.en_retard


def test_a_cancelled_past_meeting_is_not_the_last_meeting(contrat, pilote):
    tenue = make_reunion(contrat, pilote, at(-300))
    annulee = make_reunion(contrat, pilote, at(-20))
    services.reunion_cancel(reunion=annulee, user=pilote)
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.derniere == tenue
    depart = timezone.localtime(tenue.date).date()
    assert proposition.debut == selectors._add_months(depart, 6)
    assert proposition.en_retard


def test_the_three_ways_of_numbering_meetings_agree_on_cancelled_ones(contrat, pilote):
    year = timezone.localdate().year + 1

    def day(month):
        return timezone.make_aware(datetime.datetime(year, month, 10, 14))

    premiere = make_reunion(contrat, pilote, day(2))
    annulee = make_reunion(contrat, pilote, day(4))
    seconde = make_reunion(contrat, pilote, day(6))
    services.reunion_cancel(reunion=annulee, user=pilote)
    expected = {premiere.pk: 1, annulee.pk: 2, seconde.pk: 2}
    fresh = list(Reunion.objects.filter(contrat=contrat))
    assert {r.pk: r.rang for r in fresh} == expected  # propriété, une requête par réunion
    loaded = list(Reunion.objects.filter(contrat=contrat))
    selectors.reunions_rangs(loaded)
    assert {r.pk: r._rang for r in loaded} == expected  # toutes les réunions chargées
    some = [Reunion.objects.get(pk=annulee.pk), Reunion.objects.get(pk=seconde.pk)]
    selectors.reunions_rangs(some)
    assert {r.pk: r._rang for r in some} == {annulee.pk: 2, seconde.pk: 2}


# --- Ordre du jour ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "selection", "expected"),
    [("toutes", (), [1, 2, 3, 4]), ("a_impact", (), [1, 3]), ("selection", (2, 4), [2, 4])],
)
def test_agenda_follows_the_chosen_mode(contrat, pilote, fiches, mode, selection, expected):
    chosen = [fiches[n - 1] for n in selection]
    reunion = make_reunion(contrat, pilote, at(30), selection=chosen, ordre_du_jour=mode)
    assert [f.numero for f in selectors.fiches_ordre_du_jour(reunion, chosen)] == expected
    assert numeros(reunion.points.all()) == expected
    assert not reunion.points.filter(reporte=True).exists()


def test_selection_accepts_fiche_ids_as_well_as_fiches(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(30), ordre_du_jour="a_impact")
    reunion.ordre_du_jour = Reunion.OrdreDuJour.SELECTION
    points = services.reunion_agenda_set(reunion=reunion, selection=[fiches[1].pk])
    assert numeros(points) == [2]


def test_an_empty_selection_is_refused_in_french_and_creates_nothing(contrat, pilote, fiches):
    with pytest.raises(ValidationError) as exc_info:
        make_reunion(contrat, pilote, at(30), selection=[], ordre_du_jour="selection")
    assert "au moins une fiche" in messages(exc_info)
    assert not Reunion.objects.exists()
    assert not PointOrdreDuJour.objects.exists()


def test_a_fiche_of_another_contract_is_refused_in_french_and_creates_nothing(
    contrat, pilote, fiches, autre_contrat
):
    etrangere = autre_contrat.fiches.get()
    with pytest.raises(ValidationError) as exc_info:
        make_reunion(
            contrat, pilote, at(30), selection=[fiches[0], etrangere], ordre_du_jour="selection"
        )
    assert "n'appartient pas à ce contrat" in messages(exc_info)
    assert not Reunion.objects.exists()
    assert not PointOrdreDuJour.objects.exists()


def test_changing_the_agenda_keeps_a_fiche_already_discussed(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(-1))
    services.note_save(
        point=point_of(reunion, 2), encart="positifs", auteur=pilote, texte="Bon démarrage"
    )
    reunion.ordre_du_jour = Reunion.OrdreDuJour.A_IMPACT
    points = services.reunion_agenda_set(reunion=reunion)
    # la fiche 2 n'est pas « à impact » mais ses notes ne sont pas perdues ; la fiche 4 part
    assert numeros(points) == [1, 2, 3]
    assert NoteSeance.objects.get().texte == "Bon démarrage"


# --- Décisions reportées ----------------------------------------------------------------


def test_an_open_decision_comes_back_to_the_next_meeting_until_closed(contrat, pilote, fiches):
    precedente = make_reunion(contrat, pilote, at(-200), ordre_du_jour="a_impact")
    decision = decide(precedente, 3, "autre", auteur=pilote, texte="Réunir la PMI")
    suivante = make_reunion(
        contrat, pilote, at(20), selection=[fiches[0]], ordre_du_jour="selection"
    )

    assert list(selectors.decisions_reportees(suivante)) == [decision]
    assert list(selectors.decisions_reportees(precedente)) == []
    point = point_of(suivante, 3)
    assert point.reporte  # inscrite pour sa décision ouverte, pas par la sélection
    assert not point_of(suivante, 1).reporte

    services.decision_close(decision=decision, user=pilote, commentaire="  Fait en janvier ")
    decision.refresh_from_db()
    assert (decision.statut, decision.close_par, decision.commentaire_cloture) == (
        Decision.Statut.CLOSE,
        pilote,
        "Fait en janvier",
    )
    assert list(selectors.decisions_reportees(suivante)) == []
    services.reunion_agenda_set(reunion=suivante, selection=[fiches[0]])
    assert numeros(suivante.points.all()) == [1]


def test_a_reopened_decision_is_carried_over_again(contrat, pilote, fiches):
    precedente = make_reunion(contrat, pilote, at(-200))
    decision = decide(precedente, 2, "autre", auteur=pilote)
    services.decision_close(decision=decision, user=pilote)
    suivante = make_reunion(contrat, pilote, at(20))
    assert list(selectors.decisions_reportees(suivante)) == []
    services.decision_reopen(decision=decision, user=pilote)
    assert list(selectors.decisions_reportees(suivante)) == [decision]


def test_decisions_of_a_cancelled_meeting_are_not_carried_over(contrat, pilote, fiches):
    annulee = make_reunion(contrat, pilote, at(-100))
    decide(annulee, 2, "autre", auteur=pilote, texte="Prise avant l'annulation")
    services.reunion_cancel(reunion=annulee, user=pilote)
    suivante = make_reunion(contrat, pilote, at(20), ordre_du_jour="a_impact")
    assert list(selectors.decisions_reportees(suivante)) == []
    assert numeros(suivante.points.all()) == [1, 3]


@pytest.mark.parametrize("who", ["lecteur", "referent", "etranger"])
def test_only_pilots_close_or_reopen_a_decision(request, contrat, pilote, fiches, who):
    user = request.getfixturevalue(who)
    decision = decide(make_reunion(contrat, pilote, at(-10)), 1, "autre", auteur=pilote)
    with pytest.raises(PermissionDenied):
        services.decision_close(decision=decision, user=user)
    assert Decision.objects.get(pk=decision.pk).est_ouverte
    services.decision_close(decision=decision, user=pilote)
    with pytest.raises(PermissionDenied):
        services.decision_reopen(decision=decision, user=user)
    assert not Decision.objects.get(pk=decision.pk).est_ouverte


def test_decisions_of_a_later_meeting_are_not_carried_back(contrat, pilote, fiches):
    premiere = make_reunion(contrat, pilote, at(-200))
    seconde = make_reunion(contrat, pilote, at(-10))
    decide(seconde, 1, "autre", auteur=pilote)
    assert list(selectors.decisions_reportees(premiere)) == []


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


def test_updating_a_decision_with_a_stale_version_is_a_conflict(reunion, pilote, referent):
    decision = decide(reunion, 1, "autre", auteur=pilote, texte="Première rédaction")
    services.decision_update(
        decision=decision, user=referent, expected_version=1, fields={"texte": "Version de Rémi"}
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
    assert (decision.texte, decision.version) == ("Version de Rémi", 2)


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


# --- Compte rendu : tenue, soumission, validation, figement -------------------------------


@pytest.fixture
def pilotes(pilote, pilote_ddets, pilote_ars):
    return [pilote, pilote_ddets, pilote_ars]


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

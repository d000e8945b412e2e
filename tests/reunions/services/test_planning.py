"""Services de planification (`reunions.services.planning`) et lectures associées
(`reunions.selectors`) : date proposée pour la prochaine réunion, rang, ordre du jour,
décisions reportées."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotage.reunions import selectors, services
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
    PointOrdreDuJour,
    Reunion,
)
from pilotage.territoires.models import Departement
from tests.factories import (
    ContratFactory,
    make_reunion,
)
from tests.reunions.helpers import at
from tests.reunions.services.helpers import (
    decide,
    messages,
    numeros,
    point_of,
)

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


def test_only_a_pilot_records_who_attended(contrat, pilote, lecteur):
    reunion = make_reunion(contrat, pilote, at(-1))
    participation = reunion.participations.get(user=pilote)
    with pytest.raises(PermissionDenied):
        services.participation_set(participation=participation, statut="present", user=lecteur)
    participation.refresh_from_db()
    assert participation.statut == "invite"
    services.participation_set(participation=participation, statut="present", user=pilote)
    participation.refresh_from_db()
    assert participation.statut == "present"

"""Les fabriques des réunions passent par les services, comme l'application."""

from pilotage.contrats.models import Habilitation
from pilotage.reunions.models import Decision, Reunion
from tests.factories import (
    ContratFactory,
    DecisionFactory,
    PointFactory,
    ReunionFactory,
    make_fiche,
)


def test_a_meeting_from_the_factory_invites_the_pilots_and_lists_every_fiche(db):
    contrat = ContratFactory()
    for numero in (1, 2):
        make_fiche(contrat, numero)
    reunion = ReunionFactory(contrat=contrat)
    assert reunion.statut == Reunion.Statut.PLANIFIEE
    assert sorted(reunion.points.values_list("fiche__numero", flat=True)) == [1, 2]
    organisateur = reunion.created_by
    assert contrat.habilitations.filter(user=organisateur, role=Habilitation.Role.PILOTE).exists()
    assert list(reunion.participations.values_list("user", flat=True)) == [organisateur.pk]


def test_a_point_from_the_factory_adds_a_new_fiche_to_an_otherwise_empty_agenda(db):
    point = PointFactory()
    assert list(point.reunion.points.all()) == [point]
    assert point.fiche.contrat == point.reunion.contrat
    assert (point.fiche.numero, point.ordre) == (1, 1)


def test_a_decision_from_the_factory_is_recorded_by_the_meeting_organiser(db):
    decision = DecisionFactory(texte="Associer la CAF")
    assert decision.auteur == decision.point.reunion.created_by
    assert (decision.categorie, decision.statut, decision.changement) == (
        Decision.Categorie.AUTRE,
        Decision.Statut.OUVERTE,
        {},
    )

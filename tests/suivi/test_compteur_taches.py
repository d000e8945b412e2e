"""Compteur « Mes tâches » du menu : une requête par page, dont la SQL est construite une
fois par personne et par jour ; le nombre, lui, est lu à neuf à chaque fois."""

import datetime

import pytest

from pilotage.suivi import tasks
from pilotage.suivi.models import PlanCollecte, Releve
from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant, make_fiche

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def fiche(db):
    contrat = ContratFactory()
    pilote = UserFactory(institution=InstitutionFactory(nom="Conseil départemental (test)"))
    grant(pilote, contrat)
    fiche = make_fiche(contrat, numero=1, user=pilote)
    fiche.pilote = pilote
    return fiche


def releve_a_relire(fiche, institution=None):
    auteur = UserFactory(institution=institution or fiche.pilote.institution)
    grant(auteur, fiche.contrat, "contributeur")
    indicateur = fiche.indicateurs.create(nature="qualitatif", libelle="Qualité")
    return Releve.objects.create(
        fiche=fiche,
        indicateur=indicateur,
        auteur=auteur,
        institution=auteur.institution,
        date_observation=datetime.date(2026, 1, 15),
        situation="Entretien avec les familles",
    )


def test_the_counter_is_read_anew_at_each_page(fiche, django_assert_num_queries):
    pilote = fiche.pilote
    releve = releve_a_relire(fiche)
    with django_assert_num_queries(1):
        assert tasks.nombre_taches(pilote, TODAY) == 1
    releve_a_relire(fiche)
    with django_assert_num_queries(1):
        assert tasks.nombre_taches(pilote, TODAY) == 2
    releve.statut = Releve.Statut.RELU  # à valider : le pilote n'est pas validateur
    releve.save()
    with django_assert_num_queries(1):
        assert tasks.nombre_taches(pilote, TODAY) == 1
    assert tasks.taches_de(pilote, TODAY).total == 1


def test_the_counter_follows_a_change_of_the_persons_institution(fiche):
    pilote = fiche.pilote
    releve_a_relire(fiche)
    assert tasks.nombre_taches(pilote, TODAY) == 1
    pilote.institution = InstitutionFactory(nom="Préfecture (test)", type="prefecture")
    pilote.save()
    assert tasks.nombre_taches(pilote, TODAY) == 0 == tasks.taches_de(pilote, TODAY).total


def test_the_counter_follows_the_day_collections_come_within_the_horizon(fiche):
    pilote = fiche.pilote
    indicateur = fiche.indicateurs.create(nature="quantitatif", libelle="Nombre d'entretiens")
    PlanCollecte.objects.create(
        indicateur=indicateur,
        referent_collecte=pilote,
        methode="entretien",
        frequence="semestrielle",
        prochaine_echeance=TODAY + datetime.timedelta(days=tasks.HORIZON_JOURS + 5),
    )
    assert tasks.nombre_taches(pilote, TODAY) == 0
    later = TODAY + datetime.timedelta(days=10)
    assert tasks.nombre_taches(pilote, later) == 1 == tasks.taches_de(pilote, later).total


def test_the_counter_sql_is_built_once_per_person_and_day(fiche, monkeypatch):
    built = []
    original = tasks._requete_du_compteur

    def spy(user, today):
        built.append((user.pk, today))
        return original(user, today)

    monkeypatch.setattr(tasks, "_requete_du_compteur", spy)
    monkeypatch.setattr(tasks, "_REQUETES", {})
    releve_a_relire(fiche)
    other = UserFactory(institution=fiche.pilote.institution)
    for _ in range(3):
        assert tasks.nombre_taches(fiche.pilote, TODAY) == 1
        assert tasks.nombre_taches(other, TODAY) == 0
    assert tasks.nombre_taches(fiche.pilote, TODAY + datetime.timedelta(days=1)) == 1
    assert built == [
        (fiche.pilote.pk, TODAY),
        (other.pk, TODAY),
        (fiche.pilote.pk, TODAY + datetime.timedelta(days=1)),
    ]


def test_a_person_no_rubrique_can_concern_counts_zero_without_a_query(
    db, monkeypatch, django_assert_num_queries
):
    # Compte inactif et sans institution : ni collecte (aucun contrat visible) ni relevé ;
    # les rubriques des applications en aval mises de côté, aucune partie ne reste.
    monkeypatch.setattr(tasks, "RUBRIQUES", [])
    monkeypatch.setattr(tasks, "_REQUETES", {})
    user = UserFactory(institution=None, is_active=False)
    with django_assert_num_queries(0):
        assert tasks.nombre_taches(user, TODAY) == 0
    assert tasks.taches_de(user, TODAY).total == 0


def test_the_home_block_counts_each_rubrique_of_the_tasks_page_in_one_query(
    fiche, django_assert_num_queries
):
    pilote = fiche.pilote
    releve_a_relire(fiche)
    releve_a_relire(fiche)
    for jours in (-3, 0, 12):  # en retard ; à venir (aujourd'hui compris)
        indicateur = fiche.indicateurs.create(nature="quantitatif", libelle=f"Suivi {jours}")
        PlanCollecte.objects.create(
            indicateur=indicateur,
            referent_collecte=pilote,
            methode="entretien",
            frequence="semestrielle",
            prochaine_echeance=TODAY + datetime.timedelta(days=jours),
        )
    with django_assert_num_queries(1):
        nombres = tasks.nombres_taches(pilote, TODAY)
    taches = tasks.taches_de(pilote, TODAY)
    listes = ["collectes_en_retard", "collectes_a_venir", "a_relire", "a_valider", "a_partager"]
    listes += [rubrique.key for rubrique in tasks.RUBRIQUES]
    assert {key: len(getattr(taches, key)) for key in listes} == nombres.par_rubrique
    assert (nombres.collectes_en_retard, nombres.collectes_a_venir, nombres.a_relire) == (1, 2, 2)
    assert nombres.total == taches.total == 5

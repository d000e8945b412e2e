"""Écritures simultanées : six personnes enregistrent en même temps, aucune n'échoue.

Chaque écriture passe par le vrai service, dans son propre fil et sa propre connexion,
comme deux requêtes servies en parallèle. Sur SQLite (la base embarquée par défaut), il
faut le journal WAL, un délai d'attente et des transactions `IMMEDIATE` : sans elles, une
transaction qui lit avant d'écrire échoue aussitôt (« database is locked », erreur 500,
saisie perdue) dès qu'une autre a écrit entre-temps. Sur PostgreSQL, les verrous de ligne
suffisent : le même test y passe (`DATABASE_URL=postgres://…`).

La base de test SQLite de pytest-django est en mémoire : des fils n'y verraient pas les
vrais verrous de fichier (cache partagé, verrous de table). La fixture `base_partagee`
recopie donc la base de test, déjà migrée, dans un fichier temporaire ouvert avec les
mêmes OPTIONS que la base de l'application, le temps du test.
"""

import sqlite3
import threading
from decimal import Decimal

import pytest
from django.db import connections

from pilotage.reunions import services as reunions_services
from pilotage.reunions.models import Decision, NoteSeance
from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create
from tests.factories import (
    ContratFactory,
    DecisionFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)
from tests.reunions.helpers import at

SIMULTANES = 6


@pytest.fixture
def base_partagee(django_db_serialized_rollback, transactional_db, tmp_path):
    """Une base que des fils distincts partagent vraiment, écritures validées visibles de
    tous (`transactional_db`) ; sur SQLite, un fichier plutôt que la base en mémoire.

    `migrations_data_restored` remet ensuite les données des migrations (référentiel,
    départements), que `transactional_db` efface en fin de test."""
    memoire = connections["default"]
    if memoire.vendor != "sqlite" or not memoire.is_in_memory_db():
        yield
        return
    chemin = tmp_path / "concurrence.sqlite3"
    memoire.ensure_connection()
    with sqlite3.connect(chemin) as copie:
        memoire.connection.backup(copie)
    copie.close()
    reglages = connections.settings["default"]
    fichier = {**reglages, "NAME": str(chemin)}
    # Les fils ouvrent leur connexion d'après ces réglages ; celui-ci en reçoit une neuve.
    connections.settings["default"] = fichier
    connections["default"] = memoire.__class__(fichier, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = memoire
        connections.settings["default"] = reglages


def en_meme_temps(ecritures):
    """Lance chaque écriture dans son fil, toutes au même instant (barrière), chacune sur
    sa propre connexion fermée à la fin du fil ; rend les erreurs levées."""
    barriere = threading.Barrier(len(ecritures))
    erreurs = []

    def lancer(ecriture):
        try:
            barriere.wait(timeout=30)
            ecriture()
        except Exception as exc:  # le test montre toutes les erreurs
            erreurs.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    fils = [threading.Thread(target=lancer, args=(ecriture,)) for ecriture in ecritures]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)
    assert not any(fil.is_alive() for fil in fils), "une écriture ne s'est jamais terminée"
    return erreurs


@pytest.fixture
def seance(base_partagee):
    """Une réunion tenue il y a deux jours, six fiches à l'ordre du jour, six pilotes."""
    contrat = ContratFactory()
    pilotes = [UserFactory() for _ in range(SIMULTANES)]
    for pilote in pilotes:
        grant(pilote, contrat)
    for numero in range(1, SIMULTANES + 1):
        make_fiche(contrat, numero, user=pilotes[0])
    reunion = make_reunion(contrat, pilotes[0], at(-2))
    return reunion, pilotes


def test_six_simultaneous_seance_notes_are_all_saved(seance):
    reunion, pilotes = seance
    point = reunion.points.order_by("ordre").first()

    def noter(pilote):
        return lambda: reunions_services.note_save(
            point=point, encart="positifs", auteur=pilote, texte=f"Note de {pilote.email}"
        )

    assert en_meme_temps([noter(pilote) for pilote in pilotes]) == []
    assert sorted(NoteSeance.objects.filter(point=point).values_list("texte", flat=True)) == (
        sorted(f"Note de {pilote.email}" for pilote in pilotes)
    )


def test_six_simultaneous_indicator_values_are_all_recorded(base_partagee):
    pilote = UserFactory()
    contrat = ContratFactory()
    grant(pilote, contrat)
    indicateur = make_fiche(contrat, user=pilote).indicateurs.get()

    def enregistrer(annee):
        return lambda: valeur_create(
            indicateur=indicateur, user=pilote, annee=annee, valeur=Decimal(annee - 2000)
        )

    annees = range(2020, 2020 + SIMULTANES)
    assert en_meme_temps([enregistrer(annee) for annee in annees]) == []
    assert sorted(
        ValeurIndicateur.objects.filter(indicateur=indicateur).values_list("annee", flat=True)
    ) == list(annees)


def test_six_simultaneous_decision_applications_all_reach_their_fiche(seance):
    reunion, pilotes = seance
    decisions = [
        DecisionFactory(
            point=point,
            auteur=pilotes[0],
            categorie=Decision.Categorie.ACTEURS,
            changement={"action": "ajouter_acteur", "nom": f"Partenaire {point.fiche.numero}"},
        )
        for point in reunion.points.select_related("fiche")
    ]
    assert len(decisions) == SIMULTANES

    def appliquer(decision, pilote):
        return lambda: reunions_services.decision_apply(decision=decision, user=pilote)

    erreurs = en_meme_temps(
        [appliquer(decision, pilote) for decision, pilote in zip(decisions, pilotes, strict=True)]
    )
    assert erreurs == []
    for decision in Decision.objects.select_related("point__fiche"):
        assert decision.est_appliquee
        noms = set(decision.point.fiche.acteurs.values_list("nom", flat=True))
        assert f"Partenaire {decision.point.fiche.numero}" in noms

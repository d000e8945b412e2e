"""Index de la recherche à jour (issue 16) : un relevé validé reprend le titre et les
objectifs de sa fiche ; une fiche modifiée le réindexe dans la même transaction."""

import datetime

import pytest

from pilotage.contrats.services import fiche_update
from pilotage.core import recherche
from pilotage.referentiel.models import Objectif
from pilotage.suivi.models import Releve
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


@pytest.fixture
def contrat(db):
    return ContratFactory()


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


@pytest.fixture
def releve(contrat, pilote):
    fiche = make_fiche(contrat, 1, user=pilote)
    releve = Releve.objects.create(
        fiche=fiche,
        indicateur=fiche.indicateurs.get(),
        date_observation=datetime.date(2025, 5, 14),
        situation="Entretien",
        questions="Questions clés.",
        faits="Ateliers tenus.",
        statut=Releve.Statut.PARTAGE,
        auteur=pilote,
        institution=pilote.institution,
    )
    recherche.index_object(releve)
    return releve


def _releves(user, question, **filtres):
    return recherche.search(user, question, recherche.Filtres(sorte="releve", **filtres)).total


def test_le_titre_et_les_objectifs_modifies_de_la_fiche_suivent_dans_ses_releves(releve, pilote):
    fiche = releve.fiche
    autre = Objectif.objects.filter(generation=fiche.contrat.generation, numero=2).get()
    assert _releves(pilote, "ludotheque") == 0
    fiche_update(
        fiche=fiche,
        user=pilote,
        expected_version=fiche.version,
        fields={"titre": "Ludothèque itinérante"},
        objectifs=[autre],
    )
    assert _releves(pilote, "ludotheque") == 1
    assert _releves(pilote, "ateliers", objectif=autre.pk) == 1

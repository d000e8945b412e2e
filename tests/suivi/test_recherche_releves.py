"""Relevés dans la recherche : cherchables une fois validés, par l'institution de l'auteur
seulement jusqu'au partage ; un relevé renvoyé à son auteur sort de l'index."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from pilotage.contrats.models import Contrat
from pilotage.core.recherche import Filtres, search
from pilotage.suivi import services

RELEVES = Filtres(sorte="releve")


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(email):
    return get_user_model().objects.get(email=f"{email}@demo.pilotage.test")


@pytest.fixture
def draft(demo):
    fiche = demo.fiches.get(numero=1)
    return services.releve_create(
        fiche=fiche,
        user=user("contributeur"),
        indicateur=fiche.indicateurs.get(nature="qualitatif"),
        date_observation=datetime.date(2026, 5, 14),
        situation="Ludobus itinérant",
        questions="Les familles sont-elles écoutées et orientées ?",
        faits="Évaluations des ateliers positives.",
    )


def trouves(who):
    return search(user(who), "ludobus itinerants", RELEVES).total


def test_un_releve_est_cherchable_une_fois_valide_puis_partage(draft):
    assert trouves("contributeur") == 0
    services.releve_relire(releve=draft, user=user("referent"))
    assert trouves("contributeur") == 0
    services.releve_valider(releve=draft, user=user("validateur"))
    assert trouves("contributeur") == 1
    assert trouves("contributeur.caf") == 0  # autre institution : pas encore partagé
    services.releve_partager(releve=draft, user=user("validateur"))
    assert trouves("contributeur.caf") == 1


def test_un_releve_renvoye_sort_de_l_index(draft):
    services.releve_relire(releve=draft, user=user("referent"))
    services.releve_valider(releve=draft, user=user("validateur"))
    services.releve_renvoyer(releve=draft, user=user("validateur"), commentaire="À reprendre")
    assert trouves("contributeur") == 0

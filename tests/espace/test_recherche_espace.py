"""Espace partagé dans la recherche : ressources, actualités et propositions indexées par
les services, visibles de qui lit leur espace (un membre du 13 ne voit pas le 23)."""

import pytest

from pilotage.core.recherche import search
from pilotage.espace import services
from pilotage.espace.models import Proposition, StatutProposition


def _sortes(user, question):
    return {g.sorte: g.nombre for g in search(user, question).groupes}


@pytest.fixture
def publie(pilote_23, espace_23, rubrique):
    services.ressource_create(
        user=pilote_23,
        espace=espace_23,
        rubrique=rubrique,
        titre="Guide des évaluations",
        resume="Préparer la collecte.",
        lien="https://exemple.test/guide",
    )
    services.actualite_create(
        user=pilote_23, espace=espace_23, titre="Atelier", texte="Atelier d'évaluation"
    )
    services.proposition_create(
        user=pilote_23, espace=espace_23, titre="Fiche", texte="Évaluer plus souvent"
    )


def test_ressources_actualites_propositions_cherchables_dans_leur_espace(publie, pilote_23):
    assert _sortes(pilote_23, "evaluation") == {"ressource": 1, "actualite": 1, "proposition": 1}


def test_un_membre_du_13_ne_voit_pas_l_espace_du_23(publie, agent_13):
    assert _sortes(agent_13, "evaluation") == {}


def test_la_reponse_a_une_proposition_est_cherchable(publie, pilote_23, national):
    services.proposition_repondre(
        user=national,
        proposition=Proposition.objects.get(),
        statut=StatutProposition.A_L_ETUDE,
        reponse="Calendrier trimestriel",
    )
    assert _sortes(pilote_23, "trimestriels") == {"proposition": 1}

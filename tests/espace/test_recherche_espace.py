"""Espace partagé dans la recherche : ressources, actualités et propositions indexées par
les services, visibles de qui lit leur espace (un membre du 13 ne voit pas le 23)."""

import pytest

from pilotage.core import files
from pilotage.core.recherche import Filtres, search
from pilotage.espace import services
from pilotage.espace.models import FichierRessource, Proposition, StatutProposition
from pilotage.espace.recherche import fichier_texte

from .conftest import docx_bytes


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


def test_filtre_par_espace(publie, pilote_23, espace_23, national_espace):
    assert search(pilote_23, "evaluation", Filtres(espace=espace_23.pk)).total == 3
    assert search(pilote_23, "evaluation", Filtres(espace=national_espace.pk)).total == 0


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


def test_le_texte_d_un_fichier_docx_est_cherchable_et_suit_les_versions(
    pilote_23, espace_23, rubrique, agent_13
):
    ressource = services.ressource_create(
        user=pilote_23,
        espace=espace_23,
        rubrique=rubrique,
        titre="Modèle",
        resume="Un modèle de fiche.",
        filename="modele.docx",
        data=docx_bytes("Grille d'observation des visites à domicile"),
    )
    assert _sortes(pilote_23, "observations domiciles") == {"ressource": 1}
    assert _sortes(agent_13, "observations domiciles") == {}
    services.ressource_version_add(
        user=pilote_23,
        ressource=ressource,
        filename="modele.docx",
        data=docx_bytes("Calendrier des permanences"),
    )
    assert _sortes(pilote_23, "observation") == {}
    assert _sortes(pilote_23, "permanence") == {"ressource": 1}


def test_un_fichier_illisible_reste_cherchable_par_son_titre(pilote_23, espace_23, rubrique):
    fichier = FichierRessource(type_contenu=files.DOCX)
    fichier.fichier.name = "absent.docx"
    assert fichier_texte(fichier) == ""
    assert fichier_texte(None) == ""

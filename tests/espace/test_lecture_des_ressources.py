"""Une ressource se lit dans les espaces que la personne lit : `Ressource.objects.visibles_par`
pose sur l'espace joint la même règle que `Espace.objects.visibles_par`, pour chaque
façon de lire un espace (habilitation, institution de département ou de région, niveau
régional ou national, éditeur nommé, compte inactif)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from pilotage.espace.models import Espace, Ressource
from pilotage.territoires.models import Departement
from tests.factories import InstitutionFactory

from .conftest import personne

PERSONNES = ["pilote_23", "lecteur_23", "agent_13", "regional_na", "national"]


@pytest.fixture
def une_ressource_par_espace(espaces, rubrique):
    Ressource.objects.bulk_create(
        Ressource(espace=e, rubrique=rubrique, titre=e.cle, resume="Résumé.")
        for e in espaces.values()
    )


def _memes_espaces(user):
    lus = set(Espace.objects.visibles_par(user).values_list("pk", flat=True))
    par_ressource = set(Ressource.objects.visibles_par(user).values_list("espace_id", flat=True))
    assert par_ressource == lus
    return lus


@pytest.mark.parametrize("qui", PERSONNES)
def test_les_ressources_lues_sont_celles_des_espaces_lus(request, une_ressource_par_espace, qui):
    assert _memes_espaces(request.getfixturevalue(qui))


def test_une_institution_regionale_et_un_editeur_nomme(une_ressource_par_espace, espace_23):
    region = Departement.objects.get(code="13").region
    agent = personne(institution=InstitutionFactory(nom="ARS", region=region))
    espace_23.editeurs.add(agent)
    lus = _memes_espaces(agent)
    assert espace_23.pk in lus and Espace.objects.get(region=region).pk in lus


def test_sans_compte_actif_aucune_ressource(une_ressource_par_espace):
    assert not _memes_espaces(AnonymousUser())
    assert not _memes_espaces(personne(is_active=False))

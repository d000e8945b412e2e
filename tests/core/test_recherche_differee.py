"""Index différé (`index_differe`) : un chargement en masse n'indexe chaque objet qu'une
fois, dans son dernier état, à la fin du bloc ; un bloc qui échoue n'indexe rien."""

import pytest

from pilotage.core.models import EntreeRecherche
from pilotage.core.recherche import index_differe, unindex_object
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db


def _entrees(fiche):
    return EntreeRecherche.objects.filter(modele="contrats.FicheAction", objet_id=fiche.pk)


@pytest.fixture
def contrat(creuse):
    return ContratFactory(departement=creuse)


def test_inside_the_block_writes_are_indexed_once_at_the_end_in_their_last_state(contrat):
    user = UserFactory()
    grant(user, contrat)
    with index_differe():
        fiche = make_fiche(contrat, user=user, titre="Premier titre provisoire")
        assert not _entrees(fiche).exists()
        fiche.titre = "Titre définitif de la fiche"
        fiche.save(update_fields=["titre"])
    (entree,) = _entrees(fiche)
    assert "Titre définitif de la fiche" in entree.titre
    assert "provisoire" not in entree.titre


def test_a_block_that_fails_indexes_nothing(contrat):
    user = UserFactory()
    grant(user, contrat)
    with pytest.raises(RuntimeError), index_differe():
        fiche = make_fiche(contrat, user=user)
        raise RuntimeError("interrompu")
    assert not _entrees(fiche).exists()


def test_an_object_removed_then_deleted_inside_the_block_leaves_no_entry(contrat):
    user = UserFactory()
    grant(user, contrat)
    fiche = make_fiche(contrat, user=user)
    autre = make_fiche(contrat, numero=2, user=user)
    with index_differe():
        pk = fiche.pk
        unindex_object(fiche)
        assert _entrees(fiche).exists()  # retrait noté, fait à la fin du bloc
        fiche.delete()
    assert not EntreeRecherche.objects.filter(modele="contrats.FicheAction", objet_id=pk).exists()
    assert _entrees(autre).exists()

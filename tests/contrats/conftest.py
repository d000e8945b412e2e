"""Fixtures des tests des contrats : un contrat signé de la Creuse et sa fiche n°1."""

import pytest

from tests.factories import ContratFactory, UserFactory, grant, make_fiche


@pytest.fixture
def contrat(db):
    return ContratFactory()


@pytest.fixture
def fiche(contrat):
    return make_fiche(contrat, numero=1)


@pytest.fixture
def pilote(contrat):
    user = UserFactory(first_name="Paule", last_name="Pilote")
    grant(user, contrat)
    return user

"""Fixtures des tests des services des réunions : les pilotes des trois institutions, un
référent, un lecteur, un pilote d'un autre département, une réunion tenue il y a deux
jours (le contrat et ses quatre fiches viennent de tests/reunions/conftest.py)."""

import pytest

from pilotage.contrats.models import Habilitation
from pilotage.territoires.models import Departement, Institution
from tests.factories import (
    ContratFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)
from tests.reunions.helpers import at


def _pilote(contrat, nom, type_, first_name):
    user = UserFactory(first_name=first_name, institution=InstitutionFactory(nom=nom, type=type_))
    grant(user, contrat)
    return user


@pytest.fixture
def pilote(contrat):
    return _pilote(contrat, "Conseil départemental de la Creuse", Institution.Type.CD, "Claire")


@pytest.fixture
def pilote_ddets(contrat):
    return _pilote(contrat, "DDETS de la Creuse", Institution.Type.DDETS, "Paul")


@pytest.fixture
def pilote_ars(contrat):
    return _pilote(contrat, "ARS Nouvelle-Aquitaine", Institution.Type.ARS, "Anne")


@pytest.fixture
def referent(contrat):
    user = UserFactory(first_name="Rémi")
    grant(user, contrat, Habilitation.Role.REFERENT)
    return user


@pytest.fixture
def lecteur(contrat):
    user = UserFactory(first_name="Luc")
    grant(user, contrat, Habilitation.Role.LECTEUR)
    return user


@pytest.fixture
def autre_contrat(db):
    """Contrat de la Corrèze, avec une fiche n°7 (numéro absent du contrat de la Creuse)."""
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    make_fiche(autre, 7)
    return autre


@pytest.fixture
def etranger(autre_contrat):
    """Pilote d'un autre département."""
    user = UserFactory(first_name="Étienne")
    grant(user, autre_contrat)
    return user


@pytest.fixture
def reunion(contrat, pilote, fiches):
    """Une réunion tenue il y a deux jours, toutes les fiches à l'ordre du jour."""
    return make_reunion(contrat, pilote, at(-2))

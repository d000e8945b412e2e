"""Fixtures des tests des réunions : un contrat signé de la Creuse (le 1er mars 2025),
ses pilotes et ses fiches. Un module qui a besoin d'une autre personne (autre nom,
courriel, institution) redéfinit la fixture correspondante."""

import datetime

import pytest

from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant, make_fiche

SIGNATURE = datetime.date(2025, 3, 1)


@pytest.fixture
def contrat(db):
    return ContratFactory(date_signature=SIGNATURE)


@pytest.fixture
def pilote(contrat):
    user = UserFactory(
        first_name="Claire",
        last_name="Pilote",
        institution=InstitutionFactory(nom="Conseil départemental de la Creuse"),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def lecteur(contrat):
    user = UserFactory(first_name="Luc", last_name="Lecteur")
    grant(user, contrat, "lecteur")
    return user


@pytest.fixture
def pilotes(pilote, pilote_ddets, pilote_ars):
    """Les pilotes des trois institutions (celles que le module définit)."""
    return [pilote, pilote_ddets, pilote_ars]


@pytest.fixture
def fiches(contrat, pilote):
    """Quatre fiches, les n°1 et 3 « à impact »."""
    return [
        make_fiche(contrat, 1, user=pilote, a_impact=True),
        make_fiche(contrat, 2, user=pilote),
        make_fiche(contrat, 3, user=pilote, a_impact=True),
        make_fiche(contrat, 4, user=pilote),
    ]

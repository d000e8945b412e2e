"""Fixtures du journal des accès : un contrat de la Creuse, ses personnes, et la capture du
journal de sécurité (logger `pilotage.securite`, qui ne remonte pas à la racine)."""

import json
import logging

import pytest

from pilotage.comptes.models import User
from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """Le second facteur des pilotes n'est pas le sujet de ces tests."""
    settings.OTP_REQUIRED = False


@pytest.fixture
def contrat(db):
    return ContratFactory()


@pytest.fixture
def pilote(contrat):
    user = UserFactory(
        first_name="Paule",
        last_name="Pilote",
        email="paule.pilote@exemple.test",
        institution=InstitutionFactory(nom="Conseil départemental de la Creuse"),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def lecteur(contrat):
    user = UserFactory(first_name="Luc", last_name="Lecteur", email="luc.lecteur@exemple.test")
    grant(user, contrat, "lecteur")
    return user


@pytest.fixture
def national(db):
    return UserFactory(first_name="Nadia", last_name="Nationale", perimetre=User.Perimetre.NATIONAL)


@pytest.fixture
def securite(caplog):
    """Les évènements du journal de sécurité, décodés : `securite()` rend la liste."""
    logger = logging.getLogger("pilotage.securite")
    added = caplog.handler not in logger.handlers  # pytest l'y met déjà selon sa version
    if added:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="pilotage.securite")

    def events():
        return [
            json.loads(r.getMessage()) | {"_level": r.levelname}
            for r in caplog.records
            if r.name == "pilotage.securite"
        ]

    yield events
    if added:
        logger.removeHandler(caplog.handler)

"""Fixtures communes. Le référentiel 2025-2027 et les départements sont chargés par
les migrations de données : ils existent dans toute base de test."""

import pytest

from pilotage.referentiel.models import Generation
from pilotage.territoires.models import Departement


@pytest.fixture
def generation(db):
    return Generation.objects.get(code="2025-2027")


@pytest.fixture
def creuse(db):
    return Departement.objects.get(code="23")


@pytest.fixture
def correze(db):
    return Departement.objects.get(code="19")


@pytest.fixture
def loir_et_cher(db):
    return Departement.objects.get(code="41")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Le hachage des mots de passe de production est volontairement lent : inutile en test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Fichiers enregistrés (pièces, comptes rendus validés) hors du dépôt, dans un dossier
    temporaire propre à chaque test."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")

"""Cache partagé : en production, les compteurs de la limite de débit sont dans une
table de la base, communs à tous les processus de gunicorn ; un cache propre à chaque
processus est signalé par `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from pilotage.contrats.models import Habilitation
from pilotage.core.checks import shared_cache_check
from pilotage.core.ratelimit import EXPORTS_PER_MINUTE
from tests.factories import ContratFactory, UserFactory, grant

ROOT = Path(__file__).resolve().parents[2]
PRINT_CACHE = (
    "import django; django.setup(); from django.conf import settings; "
    "c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
)
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pilotage_cache",
    }
}


def _cache_in_production(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE_"))}
    clean |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PILOTAGE_ENV_FILE": "/nonexistent",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "pilotage.example.gouv.fr",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CACHE],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_uses_the_database_cache_by_default():
    assert _cache_in_production() == "django.core.cache.backends.db.DatabaseCache pilotage_cache"


def test_production_may_choose_redis_with_its_address():
    assert _cache_in_production(CACHE_BACKEND="redis", CACHE_LOCATION="redis://cache:6379/1") == (
        "django.core.cache.backends.redis.RedisCache redis://cache:6379/1"
    )


def test_check_deploy_warns_when_production_uses_a_per_process_cache(settings):
    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (warning,) = shared_cache_check(None)
    assert warning.id == "pilotage.W001"
    assert "n'est pas partagé entre les processus" in warning.msg


def test_check_deploy_accepts_the_database_cache_in_production(settings):
    settings.PRODUCTION = True
    settings.CACHES = DATABASE_CACHE
    assert shared_cache_check(None) == []


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    return caches["default"]


def test_the_download_limit_counts_in_the_database_table_shared_by_all_processes(
    client, database_cache
):
    contrat = ContratFactory()
    user = UserFactory()
    grant(user, contrat, Habilitation.Role.LECTEUR)
    client.force_login(user)
    url = f"/contrats/{contrat.pk}/indicateurs.csv"
    for _ in range(EXPORTS_PER_MINUTE):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM pilotage_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(f"ratelimit:export:u{user.pk}:" in key for key in keys)

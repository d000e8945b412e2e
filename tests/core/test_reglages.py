"""Sûr par défaut : sans réglage explicite de développement, l'application refuse de
démarrer avec DEBUG, sans clé secrète ou avec la clé de développement."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def boot(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET", "DEBUG"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", "PILOTAGE_ENV_FILE": "/nonexistent"}
    return subprocess.run(
        [sys.executable, "-c", BOOT], cwd=ROOT, env=clean | env, capture_output=True, text=True
    )


def test_without_any_setting_the_app_is_production_and_demands_a_secret_key():
    result = boot()
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire en production" in result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        (
            {"SECRET_KEY": "dev-seulement-ne-pas-utiliser-en-production", "ALLOWED_HOSTS": "x"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "x", "DEBUG": "1"}, "DEBUG n'est permis"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS est obligatoire"),
        ({"DJANGO_ENV": "dev"}, "DJANGO_ENV vaut"),
    ],
)
def test_production_refuses_unsafe_settings_with_a_french_message(env, message):
    result = boot(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_development_is_asked_for_explicitly_and_then_starts_with_debug():
    result = boot(DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"

"""`make demo` : pages d'erreur du site (sans DEBUG), fichiers statiques servis, adresse
affichée où le serveur écoute, travailleur des tâches de fond lancé à côté du serveur ;
`make demo-reset` remet la démonstration à neuf sans toucher à .venv."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def make_dry_run(*args: str) -> str:
    if not shutil.which("make"):
        pytest.skip("make absent")
    result = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_the_demo_server_runs_without_debug_to_show_the_site_error_pages():
    [runserver] = [line for line in make_dry_run("demo").splitlines() if "runserver" in line]
    assert runserver.startswith("DEBUG=0 ")
    assert settings.WHITENOISE_USE_FINDERS  # statiques servis sans DEBUG ni collectstatic


def test_the_demo_starts_the_background_worker_beside_the_server_and_stops_it_with_it():
    lines = make_dry_run("demo").splitlines()
    [worker] = [line for line in lines if "db_worker" in line]
    runserver = next(i for i, line in enumerate(lines) if "runserver" in line)
    assert lines.index(worker) < runserver  # lancé en arrière-plan avant le serveur
    assert "manage.py db_worker --no-reload &" in worker
    assert "trap 'kill $worker" in worker and "EXIT" in worker
    assert "db_worker" in make_dry_run("run")


def test_the_banner_gives_the_address_the_server_listens_on():
    out = make_dry_run("demo", "HOST=0.0.0.0", "PORT=8123")
    assert "charger_demo --adresse http://127.0.0.1:8123" in out
    assert "runserver 0.0.0.0:8123" in out
    out = make_dry_run("demo", "PORT=8124")
    assert "--adresse http://127.0.0.1:8124" in out and "runserver 127.0.0.1:8124" in out


def test_demo_reset_erases_the_local_base_and_files_but_keeps_the_virtualenv():
    out = make_dry_run("demo-reset", "PORT=8125")
    assert "rm -f db.sqlite3" in out and "rm -rf media" in out
    assert "rm -rf .venv" not in out
    assert "runserver 127.0.0.1:8125" in out
    assert "make demo-reset" in (ROOT / "README.md").read_text()


def test_without_debug_an_unknown_page_is_the_site_404_and_static_files_are_served(client, db):
    assert not settings.DEBUG
    client.force_login(UserFactory())
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page non trouvée" in page and "fr-header" in page
    static = client.get("/static/pilotage/menus.js")
    static.close()  # réponse en flux : fichier fermé ici, pas au ramasse-miettes d'un autre test
    assert static.status_code == 200

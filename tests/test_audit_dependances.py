"""Audit des dépendances (`.ci/audit-dependances`, lancé par make lint) : sans accès à
la base des vulnérabilités de PyPI, il est ignoré avec un message clair et ne fait pas
échouer make lint ; il en va de même d'un serveur qui ne répond pas comme PyPI (un
miroir qui ne sert pas l'API JSON ne doit pas passer pour un audit propre)."""

import http.server
import os
import subprocess
import threading
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "audit-dependances"


def _run(probe_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDIT_PROBE_URL": probe_url}
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


@pytest.fixture
def not_pypi():
    """Un serveur local qui répond 404 à tout, comme un miroir sans API JSON."""

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pypi/django/5.2/json"
    server.shutdown()
    server.server_close()


def test_an_unreachable_vulnerability_database_skips_the_audit_with_a_clear_message():
    result = _run("http://127.0.0.1:9/")  # port « discard » : connexion refusée
    assert result.returncode == 0
    assert "Audit des dépendances IGNORÉ" in result.stdout
    assert "injoignable" in result.stdout
    assert "Aucune vulnérabilité" not in result.stdout


def test_a_server_that_does_not_answer_like_pypi_is_not_taken_for_a_clean_audit(not_pypi):
    result = _run(not_pypi)
    assert result.returncode == 0
    assert "Audit des dépendances IGNORÉ" in result.stdout
    assert "Aucune vulnérabilité" not in result.stdout

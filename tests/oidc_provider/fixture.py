"""Fixture `oidc_provider` : le fournisseur de test lancé dans un sous-processus.

À importer dans le module de test (`from tests.oidc_provider.fixture import oidc_provider`).
Le fournisseur écoute sur un port libre de 127.0.0.1, il est prêt quand sa page JWKS
répond, et il est arrêté à la fin de la session de tests."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from . import AGENT_PASSWORD, AGENT_USERNAME, CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30
DEFAULT_PERSON = {
    "sub": AGENT_USERNAME,
    "email": "agent@exemple.gouv.fr",
    "given_name": "Aline",
    "usual_name": "Agent",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.issuer = f"{base_url}/api/v2"
        self.username = AGENT_USERNAME  # identifiant de connexion : le `sub` du moment

    def reglage(self, mode: str = "normal", **person) -> dict:
        """Règle le mode des jetons et la personne de test (valeurs par défaut sinon)."""
        body = {"mode": mode, **DEFAULT_PERSON, **person}
        response = requests.post(
            f"{self.base_url}/test/reglage/", data=json.dumps(body), timeout=10
        )
        response.raise_for_status()
        self.username = response.json()["sub"]
        return response.json()

    def authorize(self, authorize_url: str) -> str:
        """Parcourt la connexion au fournisseur (identifiant et mot de passe de la personne de
        test) comme un navigateur ; rend l'adresse de retour vers l'application (code, state)."""
        browser = requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        login_url = urljoin(self.base_url, response.headers["Location"])
        page = browser.get(login_url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        next_url = dict(p.split("=", 1) for p in urlsplit(login_url).query.split("&"))["next"]
        response = browser.post(
            login_url,
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": AGENT_PASSWORD,
                "next": requests.utils.unquote(next_url),
            },
            allow_redirects=False,
            timeout=10,
        )
        response = browser.get(
            urljoin(self.base_url, response.headers["Location"]), allow_redirects=False, timeout=10
        )
        return response.headers["Location"]

    def app_settings(self, settings) -> None:
        """Règle l'application (fixture `settings` de pytest-django) sur ce fournisseur, comme
        le ferait `PROCONNECT_ISSUER` dans config/settings.py."""
        settings.PROCONNECT_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.PROCONNECT_ENABLED = True
        settings.PROCONNECT_ISSUER = self.issuer
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{self.issuer}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{self.issuer}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{self.issuer}/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{self.issuer}/jwks"
        settings.PROCONNECT_END_SESSION_ENDPOINT = f"{self.issuer}/session/end"
        settings.AUTHENTICATION_BACKENDS = [
            "django.contrib.auth.backends.ModelBackend",
            "pilotage.comptes.oidc.ProConnectBackend",
        ]
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {**policy["DIRECTIVES"]}
        directives["form-action"] = [*directives["form-action"], self.base_url]
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    log = (workdir / "fournisseur.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.run", "--port", str(port)],
        cwd=ROOT,
        env={**_environ(), "OIDC_PROVIDER_DB": str(workdir / "oidc.sqlite3")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(f"http://127.0.0.1:{port}")
    try:
        _wait_ready(provider, process, workdir)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _environ() -> dict:
    return {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}


def _wait_ready(provider: Provider, process, workdir: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{provider.issuer}/jwks", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    output = (workdir / "fournisseur.log").read_text(errors="replace")
    pytest.fail(f"Le fournisseur OpenID Connect de test n'a pas démarré :\n{output[-3000:]}")

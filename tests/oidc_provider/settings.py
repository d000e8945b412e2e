"""Réglages du fournisseur OpenID Connect de test (voir le paquet)."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


#: Adresse du fournisseur, donnée par le lanceur (`run.py`) avant l'import de ces réglages.
BASE_URL = os.environ.get("OIDC_PROVIDER_URL", "http://127.0.0.1:8765")
ISSUER = f"{BASE_URL}/api/v2"
#: Une autre clé, jamais publiée : signe les jetons en mode « mauvaise_signature ».
ROGUE_PRIVATE_KEY = _private_key_pem()

SECRET_KEY = "fournisseur-oidc-de-test"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
# Pas de CSRF : fournisseur de test sur la boucle locale, sans autre usage.
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "OIDC_PROVIDER_DB", str(Path(tempfile.mkdtemp(prefix="oidc-")) / "oidc.sqlite3")
        ),
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/connexion/"
SESSION_COOKIE_NAME = "fournisseur_session"  # distinct du cookie de l'application

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _private_key_pem(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.ProConnectLikeValidator",
    "SCOPES": {
        scope: scope for scope in ("openid", "email", "given_name", "usual_name", "siret", "uid")
    },
    "DEFAULT_SCOPES": ["openid"],
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}

"""Réglages uniques de Pilotage partagé, pilotés par variables d'environnement.

Voir `.env.example` pour la liste. Sûr par défaut : sans `DJANGO_ENV=development`
(écrit dans `.env` par `make install`), l'application se règle pour la production
(HTTPS, cookies sécurisés) et refuse de démarrer sans `SECRET_KEY` ni `ALLOWED_HOSTS`,
avec `DEBUG` actif ou avec la clé de développement.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_file(path: Path) -> None:
    """Charge un fichier `.env` simple (CLE=valeur) sans écraser l'environnement."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_env_file(Path(os.environ.get("PILOTAGE_ENV_FILE", BASE_DIR / ".env")))


def env(key: str, default: str = "") -> str:
    """La variable, ou `default` si elle est absente ou vide (un .env copié de l'exemple)."""
    return os.environ.get(key) or default


def env_bool(key: str, default: bool = False) -> bool:
    value = os.environ.get(key)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


def env_list(key: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(key, default).split(",") if item.strip()]


# Le développement se demande explicitement ; tout le reste est la production.
ENVIRONMENT = env("DJANGO_ENV", "production")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV vaut « development » ou « production ».")
DEVELOPMENT = ENVIRONMENT == "development"
PRODUCTION = not DEVELOPMENT
DEBUG = env_bool("DEBUG", default=DEVELOPMENT)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured(
        "DEBUG n'est permis qu'en développement : ajoutez DJANGO_ENV=development (fichier .env)."
    )

DEV_SECRET_KEY = "dev-seulement-ne-pas-utiliser-en-production"
SECRET_KEY = env("SECRET_KEY") or (DEV_SECRET_KEY if DEVELOPMENT else "")
if PRODUCTION and SECRET_KEY in ("", DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY est obligatoire en production (une longue chaîne aléatoire) ; pour "
        "travailler en local, ajoutez DJANGO_ENV=development (fichier .env)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS est obligatoire en production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Adresse du site dans les liens des courriels envoyés hors d'une requête (rappels) ; par
# défaut https:// et le premier nom d'ALLOWED_HOSTS en production, runserver en local.
SITE_URL = env("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000"
)

# Bandeau « démonstration » affiché dans l'interface.
DEMO_MODE = env_bool("DEMO_MODE", default=DEVELOPMENT)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # dsfr avant django.forms : ses gabarits de cases à cocher et de boutons radio
    # (django/forms/widgets/*_option.html) remplacent ceux de Django.
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_htmx",
    "template_partials",
    "pilotage.core",
    "pilotage.territoires",
    "pilotage.comptes",
    "pilotage.referentiel",
    "pilotage.contrats",
    "pilotage.journal",
    "pilotage.suivi",
    "pilotage.documents",
    "pilotage.reunions",
    "pilotage.rapports",
    "pilotage.consolidation",
    "pilotage.espace",
    "pilotage.demo",
    "axes",
    "csp",
    # Tâches de fond : django-tasks (le cadre de Django 6, rétroporté) et sa file en base.
    "django_tasks",
    "django_tasks_db",
    # Double authentification : codes à 6 chiffres (TOTP) et codes de secours.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # Avant tout : l'adresse du client derrière un mandataire de confiance (core.proxies).
    "pilotage.core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Tôt : voit toutes les réponses 403 et 404 (CSRF compris) et signale leurs rafales.
    "pilotage.core.middleware.ErrorBurstMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Après la connexion exigée : une personne qui doit un second facteur le donne d'abord.
    "pilotage.comptes.middleware.SecondFactorMiddleware",
    "pilotage.core.middleware.SessionLifetimeMiddleware",
    "pilotage.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # En dernier (documentation de django-axes) : transforme un blocage en page de refus.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pilotage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilotage.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Base embarquée : journal WAL (les lectures n'attendent pas les écritures) et délai
    # d'attente, pour que deux enregistrements simultanés se suivent au lieu d'échouer.
    # Transactions IMMEDIATE : le verrou d'écriture se prend dès le début, en attendant
    # son tour ; sans lui, une transaction qui a lu avant d'écrire échoue aussitôt
    # (« database is locked ») si une autre a écrit entre-temps (tests/core/test_concurrency.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.User"
LOGIN_URL = "comptes:login"
LOGIN_REDIRECT_URL = "contrats:accueil"
AUTHENTICATION_BACKENDS = [
    # Avant les autres : refuse toute tentative d'un compte ou d'une adresse bloqués.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Connexions : 5 échecs pour un même compte depuis une même adresse bloquent 15 minutes
# (l'application et /admin/) ; la page de refus dit quand réessayer.
#: Mandataires inverses dont on croit l'en-tête X-Forwarded-For (adresses ou réseaux,
#: séparés par des virgules). Vide : REMOTE_ADDR est l'adresse du client.
TRUSTED_PROXIES = env("TRUSTED_PROXIES", "")

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Le champ du formulaire (et de authenticate) qui porte l'adresse électronique.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "pilotage.comptes.views.connexion_bloquee"

# Sessions : fermées après 2 h sans activité, et au plus tard 12 h après la connexion.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "7200"))
# L'échéance d'inactivité est repoussée au plus toutes les 5 minutes (et non à chaque
# requête : une écriture de session par page coûterait cher) ; voir core.middleware.
SESSION_REFRESH_SECONDS = 300
SESSION_ABSOLUTE_SECONDS = int(env("SESSION_ABSOLUTE_SECONDS", "43200"))
LOGOUT_REDIRECT_URL = "comptes:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "pilotage" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# En développement, WhiteNoise sert les fichiers statiques sans collectstatic même sans
# DEBUG (make demo tourne sans DEBUG pour montrer les pages d'erreur du site).
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Modèle Word (docxtpl) du rapport d'exécution restylé par l'opérateur ; vide : le modèle
# d'origine, pilotage/rapports/word_templates/rapport_execution.docx.
RAPPORT_WORD_TEMPLATE = env("RAPPORT_WORD_TEMPLATE") or None

# --- Stockage des fichiers enregistrés (disque ou S3) ---
# Traces, documents importés, comptes rendus validés : sur le disque (MEDIA_ROOT) par
# défaut ; dans un compartiment S3 (ou compatible S3) avec STORAGE_BACKEND=s3 ou dès que
# AWS_STORAGE_BUCKET_NAME est donné. Les objets sont privés (ACL « private ») et aucune
# adresse signée n'est produite (querystring_auth) : un fichier n'est servi que par la
# vue qui a vérifié l'accès (core.files.private_file_response), jamais par une adresse
# S3. Clés d'accès : AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY, lues par boto3 dans
# l'environnement (jamais écrites ici).
STORAGE_BACKEND = env("STORAGE_BACKEND", "s3" if env("AWS_STORAGE_BUCKET_NAME") else "local")
if STORAGE_BACKEND not in {"local", "s3"}:
    raise ImproperlyConfigured("STORAGE_BACKEND vaut « local » ou « s3 ».")
S3_STORAGE_OPTIONS = {
    "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
    "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
    "region_name": env("AWS_S3_REGION_NAME") or None,
    "location": env("AWS_LOCATION"),
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
    "signature_version": "s3v4",
    "default_acl": "private",
    "querystring_auth": False,
    "file_overwrite": False,
    # Au-delà de 5 Mo, un fichier lu depuis S3 passe en fichier temporaire sur disque.
    "max_memory_size": 5 * 1024 * 1024,
}
if STORAGE_BACKEND == "s3":
    if not S3_STORAGE_OPTIONS["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 demande AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": S3_STORAGE_OPTIONS,
    }

# --- Cache partagé (limite de débit des téléchargements, core.ratelimit) ---
# Les compteurs doivent être communs à tous les processus de gunicorn : en production, le
# cache est par défaut une table de la base (créée par `manage.py createcachetable`,
# lancé par `make migrate`) ; en développement et en test, la mémoire du processus.
# CACHE_BACKEND : database, locmem, redis (CACHE_LOCATION=redis://…, paquet redis requis)
# ou le chemin complet d'un moteur de cache de Django.
_CACHE_BACKENDS = {
    "database": ("django.core.cache.backends.db.DatabaseCache", "pilotage_cache"),
    "locmem": ("django.core.cache.backends.locmem.LocMemCache", "pilotage"),
    "redis": ("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379"),
}
_cache_backend, _cache_location = _CACHE_BACKENDS.get(
    env("CACHE_BACKEND", "database" if PRODUCTION else "locmem"), (env("CACHE_BACKEND"), "")
)
CACHES = {
    "default": {
        "BACKEND": _cache_backend,
        "LOCATION": env("CACHE_LOCATION", _cache_location),
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "pilotage-partage@example.gouv.fr")
# SMTP (avec EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")

# --- Tâches de fond (django-tasks, django-tasks-db) ---
# database (défaut) : les tâches (courriels…) sont écrites dans la base et exécutées par le
# travailleur `manage.py db_worker`, lancé à côté du serveur (make demo, make run ; en
# production : docs/exploitation.md). Sans travailleur, elles attendent dans la file.
# immediate : chaque tâche s'exécute sur-le-champ dans le processus qui la demande, sans
# travailleur (c'est le réglage des tests, tests/conftest.py) ; les courriels partent
# alors pendant la requête, comme avant la file (core.courriels).
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASKS_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND vaut « database » ou « immediate ».")
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[TASKS_BACKEND]}}

# --- Double authentification et mot de passe (comptes) ---
# Second facteur exigé des comptes locaux qui le doivent (comptes.second_factor) ; coupé
# par défaut en démonstration (DEMO_MODE), où OTP_REQUIRED=1 le remet.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=not DEMO_MODE)
OTP_TOTP_ISSUER = "Pilotage partagé"
# Après chaque code faux, attente de 2, 4, 8… secondes avant le suivant (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 2
OTP_STATIC_THROTTLE_FACTOR = 2
# /admin/ ne montre ni les clés secrètes ni les codes de secours (il peut les supprimer :
# téléphone perdu sans code de secours).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Lien de réinitialisation du mot de passe valable une heure.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", "3600"))

# --- Invitations et droits (contrats.acces) ---
# Validité du lien d'invitation, en jours ; invitations envoyées (ou renvoyées) au plus
# par personne et par 24 heures.
INVITATION_DAYS = int(env("INVITATION_DAYS", "7"))
INVITATIONS_PER_DAY = int(env("INVITATIONS_PER_DAY", "50"))

# Sécurité : actifs en production, sans effet sur le développement local.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) : scripts et styles du site seulement, aucun script
# en ligne sans le nonce de la page (`request.csp_nonce`), aucun cadre, aucun plugin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- ProConnect (OpenID Connect) ---
# Connexion des agents publics avec ProConnect (comptes.oidc, mozilla-django-oidc) ; active
# dès que PROCONNECT_CLIENT_ID est renseigné. PROCONNECT_ISSUER est l'adresse de base du
# fournisseur (l'émetteur des jetons) : intégration https://fca.integ01.dev-agentconnect.fr/api/v2,
# production https://auth.agentconnect.gouv.fr/api/v2 ; les points d'accès s'en déduisent
# comme chez ProConnect (/authorize, /token, /userinfo, /jwks, /session/end), chacun
# remplaçable par sa variable. Adresses à déclarer chez ProConnect : retour
# https://<site>/oidc/callback/, après déconnexion https://<site>/comptes/deconnexion/proconnect/.
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID")
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID)
PROCONNECT_ISSUER = env("PROCONNECT_ISSUER").rstrip("/")
if PROCONNECT_ENABLED and not (PROCONNECT_ISSUER and env("PROCONNECT_CLIENT_SECRET")):
    raise ImproperlyConfigured(
        "ProConnect : PROCONNECT_CLIENT_ID demande aussi PROCONNECT_CLIENT_SECRET et "
        "PROCONNECT_ISSUER (voir .env.example)."
    )
OIDC_RP_CLIENT_ID = PROCONNECT_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env(
    "PROCONNECT_AUTHORIZATION_ENDPOINT", f"{PROCONNECT_ISSUER}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = env("PROCONNECT_TOKEN_ENDPOINT", f"{PROCONNECT_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = env("PROCONNECT_USERINFO_ENDPOINT", f"{PROCONNECT_ISSUER}/userinfo")
OIDC_OP_JWKS_ENDPOINT = env("PROCONNECT_JWKS_ENDPOINT", f"{PROCONNECT_ISSUER}/jwks")
PROCONNECT_END_SESSION_ENDPOINT = env(
    "PROCONNECT_END_SESSION_ENDPOINT", f"{PROCONNECT_ISSUER}/session/end"
)
# Jetons signés par le fournisseur (RS256 par défaut ; ES256 si déclaré ainsi chez ProConnect).
OIDC_RP_SIGN_ALGO = env("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("PROCONNECT_SCOPES", "openid email given_name usual_name siret uid")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = env_bool("PROCONNECT_USE_PKCE", default=True)
OIDC_STORE_ID_TOKEN = True  # pour la déconnexion chez ProConnect (id_token_hint)
OIDC_CREATE_USER = False  # seules les invitations créent des comptes (comptes.arrivals)
OIDC_TIMEOUT = int(env("PROCONNECT_TIMEOUT_SECONDS", "10"))
OIDC_OP_LOGOUT_URL_METHOD = "pilotage.comptes.oidc.provider_logout_url"
if PROCONNECT_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "pilotage.comptes.oidc.ProConnectBackend"]
    # Le bouton (formulaire) et la déconnexion redirigent vers le fournisseur : form-action
    # s'applique aussi aux redirections qui suivent l'envoi d'un formulaire.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
        *sorted(
            {
                "/".join(url.split("/", 3)[:3])  # origine : https://hote[:port]
                for url in (OIDC_OP_AUTHORIZATION_ENDPOINT, PROCONNECT_END_SESSION_ENDPOINT)
            }
        ),
    ]

# --- Journal des accès et journal de sécurité (journal, core.middleware) ---
# Accès aux contrats conservés JOURNAL_RETENTION_DAYS jours (`manage.py purger_journal`,
# chaque jour) ; une rafale de 403 ou de 404 (au moins SECURITE_RAFALE_PAR_MINUTE réponses
# en une minute glissante, d'une même adresse IP ou d'un même compte) est signalée une fois
# dans le journal de sécurité.
JOURNAL_RETENTION_DAYS = int(env("JOURNAL_RETENTION_DAYS", "365"))
SECURITE_RAFALE_PAR_MINUTE = int(env("SECURITE_RAFALE_PAR_MINUTE", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Journal de sécurité : la ligne JSON telle quelle, pour l'outil de collecte.
    "formatters": {
        "json_brut": {"format": "%(message)s"},
        # Le travailleur des tâches de fond se reconnaît dans la console de make demo.
        "taches": {"format": "[tâches] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "taches": {"class": "logging.StreamHandler", "formatter": "taches"},
        "securite": {"class": "logging.StreamHandler", "formatter": "json_brut"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint et fontTools racontent chaque étape du rendu PDF : seulement les problèmes.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pilotage.securite": {"handlers": ["securite"], "level": "INFO", "propagate": False},
        "django_tasks": {"handlers": ["taches"], "level": "INFO", "propagate": False},
        "django_tasks_db": {"handlers": ["taches"], "level": "INFO", "propagate": False},
    },
}

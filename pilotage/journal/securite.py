"""Journal de sécurité des connexions : réussies, échouées, bloquées, déconnexions.

Les lignes partent dans le journal JSON `pilotage.securite` (`core.security_log`), pas en
base. Django et django-axes n'offrent pas d'autre point d'entrée que leurs signaux
documentés (`user_logged_in`, `user_logged_out`, `user_login_failed`, `axes.signals.
user_locked_out`) : la connexion passe par leurs vues et leurs backends (formulaire,
/admin/, ProConnect), que nous ne réécrivons pas. On les reçoit donc ici, sans rien écrire.
L'adresse saisie n'est jamais écrite en clair (une faute de frappe peut être un mot de
passe) : seulement une empreinte courte, la même pour la même adresse, pour relier les
tentatives.
"""

import hashlib
import hmac
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from pilotage.core.security_log import security_event


def compte_empreinte(identifiant) -> str:
    """Empreinte (HMAC, 16 caractères) de l'adresse saisie, insensible à la casse."""
    value = str(identifiant or "").strip().lower()[:320]
    if not value:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _identifiant(credentials) -> str:
    credentials = credentials or {}
    return credentials.get("username") or credentials.get("email") or ""


def _connexion(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    security_event(
        "connexion",
        request=request,
        level=logging.INFO,
        utilisateur=user.pk,
        moyen=backend.rsplit(".", 1)[-1],
    )


def _deconnexion(sender, request, user, **kwargs):
    fields = {"utilisateur": user.pk} if user is not None else {}
    security_event("deconnexion", request=request, level=logging.INFO, **fields)


def _echec(sender, credentials, request=None, **kwargs):
    security_event(
        "connexion_echec", request=request, compte=compte_empreinte(_identifiant(credentials))
    )


def _blocage(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event(
        "blocage",
        request=request,
        compte=compte_empreinte(username),
        minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    )


def connect() -> None:
    """Branche les récepteurs (appelé une fois par `JournalConfig.ready`)."""
    user_logged_in.connect(_connexion, dispatch_uid="journal_securite_connexion")
    user_logged_out.connect(_deconnexion, dispatch_uid="journal_securite_deconnexion")
    user_login_failed.connect(_echec, dispatch_uid="journal_securite_echec")
    user_locked_out.connect(_blocage, dispatch_uid="journal_securite_blocage")

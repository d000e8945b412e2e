"""Second facteur : une personne connectée qui le doit passe d'abord par l'étape du code.

Placé après `OTPMiddleware` (qui dit si la session a été vérifiée par un code) et après
`LoginRequiredMiddleware` (une personne anonyme va d'abord à la page de connexion). Tant
que la session n'est pas vérifiée, toute page (y compris /admin/) renvoie vers
« Double authentification », avec l'adresse demandée en `next` ; une requête HTMX reçoit
`HX-Redirect` (la page entière change) au lieu d'une redirection dans un fragment.

Ne sont pas concernées : les pages du second facteur elles-mêmes, la déconnexion, les
pages du mot de passe oublié, les pages légales, et les fichiers statiques (servis par
WhiteNoise avant ce middleware). Qui doit un second facteur : `second_factor_expected`.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import second_factor
from .otp_selectors import has_confirmed_totp

#: Backend d'une connexion ProConnect : l'authentification forte est faite chez lui.
PROCONNECT_BACKEND = "pilotage.comptes.oidc.ProConnectBackend"

#: Clé de session : moment où l'on a constaté qu'aucun code n'était dû (revu toutes les
#: `SESSION_REFRESH_SECONDS` : un rôle de pilote donné en cours de session est pris en compte).
SESSION_NOT_EXPECTED = "_second_facteur_inutile_le"

#: Pages ouvertes sans second facteur (noms d'URL complets).
EXEMPT_VIEWS = frozenset(
    {
        "comptes:second_factor",
        "comptes:second_factor_enrol",
        "comptes:logout",
        "comptes:proconnect_deconnexion",
        "comptes:proconnect_sans_invitation",
        "comptes:password_reset",
        "comptes:password_reset_done",
        "comptes:password_reset_confirm",
        "comptes:password_reset_complete",
        "admin:logout",
        "footer-accessibility-status",
        "footer-legal-notice",
        "footer-personal-data",
        "health",
    }
)
#: Connexion ProConnect (mozilla-django-oidc), quel que soit l'espace de noms de ses URL.
EXEMPT_URL_NAMES = frozenset(
    {"oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"}
)


def is_proconnect_session(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == PROCONNECT_BACKEND


def second_factor_expected(request) -> bool:
    """Vrai si la personne connectée doit encore donner un code dans cette session.

    Tout compte qui a activé la double authentification, quel que soit `OTP_REQUIRED` ;
    et, quand `OTP_REQUIRED` est en place, un compte qui la doit
    (`second_factor.required_for`), envoyé l'activer s'il ne l'a pas fait. Jamais une
    session ProConnect (l'authentification forte est faite chez ProConnect)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if is_proconnect_session(request) or user.is_verified():
        return False
    checked = request.session.get(SESSION_NOT_EXPECTED)
    now = int(time.time())
    if checked is not None and now - checked < settings.SESSION_REFRESH_SECONDS:
        return False
    if (settings.OTP_REQUIRED and second_factor.required_for(user)) or has_confirmed_totp(user):
        request.session.pop(SESSION_NOT_EXPECTED, None)
        return True
    request.session[SESSION_NOT_EXPECTED] = now
    return False


def url_with_next(url_name: str, next_url: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_url(next_url: str | None) -> str:
    return url_with_next("comptes:second_factor", next_url)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT_VIEWS or match.url_name in EXEMPT_URL_NAMES:
            return None
        if not second_factor_expected(request):
            return None
        if request.htmx:
            # La page où se trouve la personne, pas l'adresse du fragment demandé.
            return HttpResponseClientRedirect(second_factor_url(request.htmx.current_url_abs_path))
        next_url = request.get_full_path() if request.method == "GET" else None
        return redirect(second_factor_url(next_url))

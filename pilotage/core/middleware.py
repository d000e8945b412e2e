"""En-têtes de sécurité et durée de vie des sessions, pour toutes les pages.

- `SecurityHeadersMiddleware` : `Permissions-Policy` (aucune fonction sensible du
  navigateur n'est utilisée), et `Cache-Control: no-store` sur toute réponse faite à une
  personne connectée (pages, exports, fichiers) : rien de ce qu'elle voit ne reste dans un
  cache partagé ou sur le disque d'un poste de salle de réunion.
- `SessionLifetimeMiddleware` : une session se ferme après `SESSION_COOKIE_AGE` secondes
  sans activité (l'échéance est repoussée quand la personne agit, au plus toutes les
  `SESSION_REFRESH_SECONDS`) et au plus tard `SESSION_ABSOLUTE_SECONDS` après la connexion.
- `ErrorBurstMiddleware` : compte les réponses 403 et 404 et signale leurs rafales au
  journal de sécurité (`core.rafales`).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from .rafales import error_burst_count

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

#: Clés de session : moment de la connexion, dernière prolongation (secondes depuis l'époque).
SESSION_STARTED = "_connexion_le"
SESSION_REFRESHED = "_prolongee_le"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            if now - session.get(SESSION_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED] = now  # session réécrite : échéance repoussée
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "Votre session a duré plus de "
                    f"{settings.SESSION_ABSOLUTE_SECONDS // 3600} heures : reconnectez-vous.",
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class ErrorBurstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            error_burst_count(request, response.status_code)
        return response

"""Limite de débit par personne pour les téléchargements coûteux (PDF, Word, OpenDocument,
tableurs) : au-delà de N par minute, la réponse est 429 avec un message en français et
l'en-tête Retry-After. Compteur à fenêtre fixe d'une minute dans le cache de Django."""

import math
import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

WINDOW_SECONDS = 60


def _client_key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "ip" + request.META.get("REMOTE_ADDR", "")


def _retry_after(scope: str, request, per_minute: int) -> int:
    """0 si la demande passe (et compte), sinon le nombre de secondes à attendre."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{_client_key(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # clé expirée entre add et incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= per_minute:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def rate_limited(scope: str, *, per_minute: int):
    """Décorateur de vue : au plus `per_minute` demandes par minute et par personne pour
    la portée `scope` (toutes les vues d'une même portée partagent le compteur)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            wait = _retry_after(scope, request, per_minute)
            if wait:
                message = (
                    f"Trop de téléchargements en peu de temps : réessayez dans {wait} secondes."
                )
                response = render(request, "429.html", {"message": message}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


#: Téléchargements coûteux par personne et par minute (fiches, contrat, calendrier,
#: dossier et compte rendu, tableurs des indicateurs).
EXPORTS_PER_MINUTE = 10

exports_limited = rate_limited("export", per_minute=EXPORTS_PER_MINUTE)

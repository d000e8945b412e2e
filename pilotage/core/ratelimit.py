"""Limite de débit par personne (compte connecté, sinon adresse IP) : téléchargements
coûteux (PDF, Word, OpenDocument, tableurs), demandes de lien « mot de passe oublié ».
Au-delà de N par minute, la réponse est 429 avec un message en français et l'en-tête
Retry-After. Compteur à fenêtre fixe d'une minute dans le cache de Django."""

import math
import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

from .formats import seconds_text

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


def rate_limited(scope: str, *, per_minute: int, what: str = "téléchargements", methods=None):
    """Décorateur de vue : au plus `per_minute` demandes par minute et par personne pour
    la portée `scope` (toutes les vues d'une même portée partagent le compteur). `methods`
    (ex. ("POST",)) : seules ces méthodes comptent ; `what` nomme ce qui est limité dans
    le message."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            counted = methods is None or request.method in methods
            wait = _retry_after(scope, request, per_minute) if counted else 0
            if wait:
                message = f"Trop de {what} en peu de temps : réessayez dans {seconds_text(wait)}."
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

#: Demandes de lien « mot de passe oublié » par adresse IP et par minute : assez pour une
#: faute de frappe, pas pour inonder une boîte de courriels.
PASSWORD_RESETS_PER_MINUTE = 3

password_resets_limited = rate_limited(
    "mot_de_passe_oublie",
    per_minute=PASSWORD_RESETS_PER_MINUTE,
    what="demandes de lien",
    methods=("POST",),
)

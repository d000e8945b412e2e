"""Rafales de réponses 403 et 404 : une adresse IP ou un compte qui en reçoit beaucoup en
peu de temps essaie probablement des adresses au hasard (identifiants, jetons d'agenda).

Compteurs dans le cache de Django, par tranches de 10 secondes : la somme des six
dernières tranches donne une minute glissante. Au seuil `SECURITE_RAFALE_PAR_MINUTE`,
un seul évènement `rafale_403` ou `rafale_404` part dans le journal de sécurité, puis
plus rien pour ce sujet pendant une minute (pas une ligne par réponse).
"""

import time

from django.conf import settings
from django.core.cache import cache

from .security_log import security_event

WINDOW_SECONDS = 60
SLOT_SECONDS = 10
#: Un sujet (adresse IP, compte) tient en 64 caractères : la clé du cache reste bornée.
SUBJECT_MAX = 64


def _count(kind: int, subject: str, slot: int) -> int:
    """Compte une réponse et rend le total de la minute glissante du sujet."""
    prefix = f"rafale:{kind}:{subject}:"
    key = f"{prefix}{slot}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + SLOT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # clé expirée entre add et incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + SLOT_SECONDS)
    slots = range(slot - WINDOW_SECONDS // SLOT_SECONDS + 1, slot + 1)
    return sum(cache.get_many([f"{prefix}{s}" for s in slots]).values())


def error_burst_count(request, status: int) -> None:
    """Compte une réponse `status` (403 ou 404) pour l'adresse IP et le compte de la
    requête ; signale une fois une rafale qui atteint le seuil."""
    slot = int(time.time() // SLOT_SECONDS)
    subjects = {"ip": "ip" + request.META.get("REMOTE_ADDR", "")[:SUBJECT_MAX]}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        subjects["compte"] = f"u{user.pk}"
    threshold = settings.SECURITE_RAFALE_PAR_MINUTE
    counts = {name: _count(status, subject, slot) for name, subject in subjects.items()}
    crossed = [
        name
        for name, total in counts.items()
        if total >= threshold
        and cache.add(f"rafale:{status}:{subjects[name]}:signalee", 1, timeout=WINDOW_SECONDS)
    ]
    if crossed:
        security_event(
            f"rafale_{status}",
            request=request,
            par=" ".join(crossed),
            reponses_ip=counts["ip"],
            reponses_compte=counts.get("compte", 0),
            seuil=threshold,
        )

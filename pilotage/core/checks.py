"""Contrôles de déploiement propres à l'application (`manage.py check --deploy`, lancé
par `make lint` avec les réglages de production)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

#: Caches propres à un processus : chaque processus de gunicorn aurait ses compteurs.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """En production, le cache doit être partagé entre les processus : sinon la limite de
    débit des téléchargements (core.ratelimit) est multipliée par leur nombre."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "PRODUCTION", False) and backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                f"Le cache de production ({backend}) n'est pas partagé entre les processus "
                "de gunicorn : chacun compte de son côté les téléchargements limités.",
                hint="Laissez CACHE_BACKEND vide (table de la base, après "
                "« manage.py createcachetable ») ou choisissez redis.",
                id="pilotage.W001",
            )
        ]
    return []

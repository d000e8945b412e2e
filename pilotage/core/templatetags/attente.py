"""`{% nombre_taches as n %}` : le compteur « Mes tâches » du menu principal
(`core.attente`, une requête ; aucune pour une personne non connectée)."""

from django import template
from django.utils import timezone

from pilotage.core import attente

register = template.Library()


@register.simple_tag(takes_context=True)
def nombre_taches(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_nombre_taches"):
        request._nombre_taches = attente.nombre_taches(user, timezone.localdate())
    return request._nombre_taches

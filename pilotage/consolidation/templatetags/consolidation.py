"""Filtres des vues consolidées."""

from django import template

register = template.Library()


@register.filter
def formater(indicateur, value) -> str:
    """Une valeur dans l'unité de l'indicateur (« 6,8 % »), « — » sans valeur."""
    return "—" if value is None else indicateur.formater(value)

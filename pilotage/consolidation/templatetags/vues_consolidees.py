"""Filtres des vues régionale et nationale."""

from django import template

from pilotage.core.formats import euros

register = template.Library()


@register.filter
def montant(ligne, financeur: str) -> str:
    """Le financement prévu d'une ligne d'objectif pour ce financeur, « — » sans montant."""
    value = ligne.montant(financeur)
    return "—" if value is None else euros(value)


@register.filter(name="euros")
def euros_filter(value) -> str:
    return "—" if not value else euros(value)

"""Filtres des vues régionale et nationale."""

from django import template
from django.utils.html import format_html_join

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


@register.filter
def etats(ligne) -> str:
    """Les `<li>` « En cours : 3 » d'une ligne du tableau des contrats, un par état : une
    variable par ligne au lieu d'une boucle de huit (101 lignes au national)."""
    return format_html_join("", "<li>{} : {}</li>", ligne.par_etat)

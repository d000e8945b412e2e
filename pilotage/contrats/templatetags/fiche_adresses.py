"""Adresses des pages d'une fiche pour ses onglets (`contrats.adresses.adresses_de_la_fiche`)."""

from django import template

from .. import adresses

register = template.Library()


@register.simple_tag
def adresses_de_la_fiche(contrat_pk, numero) -> dict[str, str]:
    """`{% adresses_de_la_fiche contrat.pk fiche.numero as adresses %}` : un seul `reverse`."""
    return adresses.adresses_de_la_fiche(contrat_pk, numero)

"""Adresses des pages d'une fiche pour ses onglets (`contrats.cartes.adresses_de_la_fiche`)."""

from django import template

from .. import cartes

register = template.Library()


@register.simple_tag
def adresses_de_la_fiche(contrat_pk, numero) -> dict[str, str]:
    """`{% adresses_de_la_fiche contrat.pk fiche.numero as adresses %}` : un seul `reverse`."""
    return cartes.adresses_de_la_fiche(contrat_pk, numero)

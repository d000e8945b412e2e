"""Lien « Journal des accès » de la page du contrat : `contrats` n'importe pas le journal,
son gabarit charge cette balise (`{% load journal %}{% lien_journal contrat %}`)."""

from django import template

from ..models import Acces

register = template.Library()


@register.inclusion_tag("journal/includes/lien_journal.html", takes_context=True)
def lien_journal(context, contrat) -> dict:
    """Le bouton, pour les personnes qui peuvent lire le journal du contrat seulement."""
    user = context["request"].user
    return {"contrat": contrat, "visible": Acces.journal_lisible_par(user, contrat)}

"""Gabarits de l'espace partagé vus d'ailleurs : bloc « Ressources utiles » de la page
d'une fiche action (`{% load espace %}{% ressources_utiles objectifs %}`). L'application
des contrats n'importe rien de l'espace ; le bloc coûte une requête, plus
deux au plus pour nommer les espaces régionaux ou départementaux montrés
(`selectors.ressources_utiles`)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("espace/includes/ressources_utiles.html", takes_context=True)
def ressources_utiles(context, objectifs):
    """Ressources des espaces que la personne lit, liées à l'un des `objectifs`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    objectifs = list(objectifs)
    if user is None or not objectifs:
        return {"ressources": []}
    libelles = [o.libelle_court.replace("Objectif", "l'objectif", 1) for o in objectifs]
    return {
        "ressources": selectors.ressources_utiles(user, [o.pk for o in objectifs]),
        "objectifs_libelle": ", ".join(libelles),
    }

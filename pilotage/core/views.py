"""Pages publiques du pied de page (contenu à compléter par l'opérateur)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

LEGAL_PAGES = {
    "accessibilite": "Accessibilité : non conforme",
    "mentions-legales": "Mentions légales",
    "donnees-personnelles": "Données personnelles",
}


@login_not_required
def legal_page(request, slug):
    return render(request, f"core/{slug}.html", {"title": LEGAL_PAGES[slug], "slug": slug})

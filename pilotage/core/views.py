"""Pages publiques du pied de page (contenu à compléter par l'opérateur)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

LEGAL_PAGES = {
    "accessibilite": "Déclaration d'accessibilité",
    "mentions-legales": "Mentions légales",
    "donnees-personnelles": "Données personnelles",
}


@login_not_required
def legal_page(request, slug):
    context = {
        "title": LEGAL_PAGES[slug],
        "slug": slug,
        "contact_email": settings.DEFAULT_FROM_EMAIL,
    }
    return render(request, f"core/{slug}.html", context)

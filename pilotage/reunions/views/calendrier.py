"""Vues des réunions : calendrier (à compléter)."""

from django.http import Http404


def py(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def fiche_calendrier(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def pdf(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def fiche_calendrier_pdf(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")

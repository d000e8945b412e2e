"""Vues des réunions : documents (à compléter)."""

from django.http import Http404


def py(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def dossier(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def dossier_export(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def compte_rendu(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def compte_rendu_export(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def compte_rendu_validation(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")

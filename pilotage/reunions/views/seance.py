"""Vues des réunions : seance (à compléter)."""

from django.http import Http404


def py(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def seance(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def seance_fiche(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def note_save(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def decision_create(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def decision_edit(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def decision_apply(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def decision_close(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")

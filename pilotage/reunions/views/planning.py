"""Vues des réunions : planning (à compléter)."""

from django.http import Http404


def py(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def reunion_list(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def reunion_create(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def contrat_ics(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def flux_ics(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def reunion_detail(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def reunion_edit(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def participants(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def invitations_send(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def reunion_ics(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")


def decisions(request, *args, **kwargs):  # à remplacer
    raise Http404("Pas encore disponible.")

"""Consultation du référentiel national, et modification par l'équipe nationale."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from pilotage.core import history
from pilotage.core.models import Revision

from . import services
from .forms import ObjectifForm
from .models import ExempleIndicateur, Generation, IndicateurNational, Objectif


def _can_edit(user) -> bool:
    return user.est_national


def referentiel(request, code=None):
    generations = Generation.objects.all()
    generation = get_object_or_404(generations, code=code) if code else generations.first()
    objectifs = (
        Objectif.objects.filter(generation=generation)
        .select_related("engagement", "mesure")
        .prefetch_related(
            Prefetch("exemples", queryset=ExempleIndicateur.objects.order_by("nature", "ordre")),
            Prefetch(
                "indicateurs_nationaux",
                queryset=IndicateurNational.objects.order_by("libelle"),
            ),
        )
    )
    return render(
        request,
        "referentiel/referentiel.html",
        {
            "title": f"Référentiel {generation.code}",
            "generation": generation,
            "generations": generations,
            "engagements": generation.engagements.all(),
            "objectifs": objectifs,
            "avec_mesures": generation.mesures.exists(),
            "peut_modifier": _can_edit(request.user),
            "breadcrumb_data": {"current": f"Référentiel {generation.code}"},
        },
    )


def objectif_edit(request, pk):
    objectif = get_object_or_404(Objectif.objects.select_related("generation"), pk=pk)
    if not _can_edit(request.user):
        raise PermissionDenied("Seule l'équipe nationale modifie le référentiel.")
    form = ObjectifForm(request.POST or None, instance=objectif)
    if request.method == "POST" and form.is_valid():
        services.objectif_update(
            objectif=Objectif.objects.get(pk=pk), user=request.user, fields=form.cleaned_data
        )
        messages.success(request, f"{objectif.nom[0].upper()}{objectif.nom[1:]} a été mis à jour.")
        return redirect("referentiel:generation", objectif.generation.code)
    revisions = history.revisions_for_display(Revision.objects.for_object(objectif))
    return render(
        request,
        "referentiel/objectif_form.html",
        {
            "title": f"Modifier {objectif.nom}",
            "objectif": objectif,
            "form": form,
            "revisions": revisions,
        },
        status=400 if request.method == "POST" else 200,
    )

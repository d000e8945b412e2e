"""Relevés qualitatifs d'une fiche : liste, rédaction guidée, validation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from pilotage.contrats import permissions
from pilotage.contrats.views import breadcrumb
from pilotage.core.files import private_file_response
from pilotage.core.forms import DsfrForm
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record
from pilotage.referentiel.models import ExempleIndicateur

from . import services
from .forms import ReleveActionForm, ReleveForm
from .models import Releve


def _crumbs(fiche, current):
    return breadcrumb(fiche.contrat, fiche, current)


def releves(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    items = (
        Releve.objects.filter(fiche=fiche)
        .visibles_par(request.user)
        .select_related("indicateur", "auteur", "institution")
    )
    return render(
        request,
        "suivi/releves.html",
        {
            "title": f"Relevés de la fiche action n°{fiche.numero_affiche}",
            "contrat": fiche.contrat,
            "fiche": fiche,
            "releves": items,
            "peut_rediger": permissions.can_record_values(request.user, fiche),
            "peut_modifier": permissions.can_edit_fiche(request.user, fiche),
            "onglet": "releves",
            "breadcrumb_data": _crumbs(fiche, "Relevés"),
        },
    )


def releve_create(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    if not permissions.can_record_values(request.user, fiche):
        raise PermissionDenied("Vous ne pouvez pas rédiger de relevé sur cette fiche.")
    form = ReleveForm(request.POST or None, fiche=fiche)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "confirm_personal_data"}
        try:
            releve = services.releve_create(
                fiche=fiche,
                user=request.user,
                confirmations=form.personal_data_confirmed,
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "Relevé enregistré en brouillon : faites-le relire par un collègue."
            )
            return redirect("suivi:releve", pk, releve.pk)
    questions = ExempleIndicateur.objects.filter(
        objectif__in=fiche.objectifs.all(), nature="qualitatif"
    ).select_related("objectif")
    return render(
        request,
        "suivi/releve_form.html",
        {
            "title": "Nouveau relevé",
            "contrat": fiche.contrat,
            "fiche": fiche,
            "form": form,
            "questions": questions,
            "breadcrumb_data": _crumbs(fiche, "Nouveau relevé"),
        },
        status=400 if request.method == "POST" else 200,
    )


ACTIONS = {
    "relire": services.releve_relire,
    "valider": services.releve_valider,
    "renvoyer": services.releve_renvoyer,
    "partager": services.releve_partager,
}


def releve_detail(request, pk, releve_pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    releve = get_object_or_404(
        Releve.objects.filter(fiche__contrat=contrat)
        .visibles_par(request.user)
        .select_related("fiche", "indicateur", "auteur", "institution"),
        pk=releve_pk,
    )
    releve.fiche.contrat = contrat
    form = ReleveActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = ACTIONS.get(request.POST.get("action"))
        if action is None:
            raise PermissionDenied("Action inconnue.")
        kwargs = {"releve": releve, "user": request.user}
        kwargs["confirmations"] = form.personal_data_confirmed
        if action is not services.releve_partager:
            kwargs["commentaire"] = form.cleaned_data["commentaire"]
        try:
            action(**kwargs)
        except ValidationError as exc:
            form.add_error("commentaire", exc.messages[0])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("suivi:releve", pk, releve.pk)
        else:
            messages.success(request, f"Relevé : {releve.get_statut_display().lower()}.")
            return redirect("suivi:releve", pk, releve.pk)
    return render(
        request,
        "suivi/releve.html",
        {
            "title": str(releve),
            "contrat": contrat,
            "fiche": releve.fiche,
            "releve": releve,
            "actions": releve.actions_possibles(request.user),
            "etapes": releve.etapes.select_related("user__institution"),
            "traces": releve.traces.all(),
            "trace_form": TraceForm(),
            "peut_joindre": releve.accepte_traces
            and request.user.institution_id == releve.institution_id
            and permissions.can_record_values(request.user, releve.fiche),
            "form": form,
            "breadcrumb_data": _crumbs(releve.fiche, "Relevé"),
        },
        status=400 if form.errors else 200,
    )


class TraceForm(DsfrForm):
    fichier = forms.FileField(
        label="Joindre une trace",
        help_text="Compte rendu d'entretien, questionnaire, photo de tableau… (10 Mo au plus). "
        "Aucune donnée permettant d'identifier un enfant ou une famille.",
    )


def _visible_releve(request, pk, releve_pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    releve = get_object_or_404(
        Releve.objects.filter(fiche__contrat=contrat)
        .visibles_par(request.user)
        .select_related("fiche"),
        pk=releve_pk,
    )
    releve.fiche.contrat = contrat
    return releve


def trace_upload(request, pk, releve_pk):
    releve = _visible_releve(request, pk, releve_pk)
    form = TraceForm(request.POST, request.FILES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        if upload.size > services.TRACE_MAX_BYTES:
            messages.error(request, "Le fichier dépasse la taille maximale de 10 Mo.")
        else:
            try:
                services.trace_add(
                    releve=releve, user=request.user, filename=upload.name, data=upload.read()
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "La trace a été jointe au relevé.")
    return redirect("suivi:releve", pk, releve.pk)


def trace_download(request, pk, releve_pk, trace_pk):
    releve = _visible_releve(request, pk, releve_pk)
    trace = get_object_or_404(releve.traces, pk=trace_pk)
    response = private_file_response(trace.fichier, trace.nom)
    acces_record(
        user=request.user,
        contrat=releve.fiche.contrat,
        nature=Acces.Nature.TELECHARGEMENT,
        objet=f"Pièce du relevé {releve.pk}",
        request=request,
    )
    return response

"""Décisions prises en séance : consigner, modifier, appliquer à la fiche, clore.

Droits : consigner ou modifier = pilote, ou référent de la fiche
(`PointOrdreDuJour.peut_consigner`, `Decision.peut_modifier`) ; appliquer ou clore =
pilote (`Decision.actions_possibles`). Une décision d'une réunion en validation ou figée
est en lecture seule (409 avec la raison). Même adresse pour la page entière ou le
fragment HTMX (liste des décisions d'une fiche, une décision).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from pilotage.core.services import ConflitDeVersion

from .. import selectors, services
from ..models import Decision
from ..permissions import can_organise, get_decision_for, get_reunion_for
from ..seance_forms import ClotureForm, DecisionForm
from .planning.reunions import decisions_liste
from .seance import (
    _decision_form,
    _decisions,
    _described,
    _peut_decider,
    _point_for,
    _rights,
    _seance_context,
)

# --- Décisions -------------------------------------------------------------------------


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _seance_url(decision: Decision) -> str:
    point = decision.point
    return reverse(
        "reunions:seance_fiche",
        args=[point.reunion.contrat_id, point.reunion_id, point.fiche.numero],
    )


def _decisions_section(request, reunion, point, fiche, form=None, status=200, **extra):
    """La rubrique « Prise de décision en séance » d'une fiche (liste et formulaire)."""
    context = {
        "reunion": reunion,
        "contrat": reunion.contrat,
        "point": point,
        "fiche": fiche,
        "decisions": _decisions(point, request.user),
        "next": reverse(
            "reunions:seance_fiche", args=[reunion.contrat_id, reunion.pk, fiche.numero]
        ),
        "peut_decider": _peut_decider(request.user, point),
        **_rights(request.user, reunion),
        **extra,
    }
    if context["peut_decider"]:
        context["form"] = form or _decision_form(
            point, fiche, selectors.contrat_fiches_courtes(reunion)
        )
    elif form is not None:  # réunion figée entre-temps : le formulaire n'est plus affiché
        context["erreur"] = " ".join(form.non_field_errors())
    return render(request, "reunions/includes/decision_section.html", context, status=status)


@require_http_methods(["GET", "POST"])
def decision_create(request, pk, reunion_pk, numero):
    """POST : consigne une décision. GET `?categorie=` : les champs du changement du type."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    point = _point_for(reunion, numero)
    fiche = selectors.seance_fiche(point)
    point.fiche = fiche
    if request.method == "GET":
        if not request.htmx:
            return redirect("reunions:seance_fiche", pk, reunion.pk, numero)
        prefix = request.GET.get("prefix") or f"n{point.pk}"
        form = DecisionForm(
            initial={
                "categorie": request.GET.get(f"{prefix}-categorie", ""),
                "action": request.GET.get(f"{prefix}-action", ""),
            },
            fiche=fiche,
            fiches=selectors.contrat_fiches_courtes(reunion),
            prefix=prefix,
        )
        template = "reunions/includes/decision_changement.html"
        if request.GET.get("partie") == "champs":
            template += "#champs"
        context = {"form": form, "contrat": reunion.contrat, "reunion": reunion, "fiche": fiche}
        return render(request, template, context)
    if not point.peut_consigner(request.user):
        raise PermissionDenied(
            "Seuls les pilotes et les référents de cette fiche y consignent des décisions."
        )
    fiches = selectors.contrat_fiches_courtes(reunion)
    form = _decision_form(point, fiche, fiches, data=request.POST)
    choosing = "choisir" in request.POST  # sans JavaScript : afficher les champs du type
    if not choosing and form.is_valid():
        try:
            services.decision_create(
                point=point,
                auteur=request.user,
                fields=form.service_fields(),
                confirmations=form.personal_data_confirmed,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if request.htmx:
                return _decisions_section(
                    request, reunion, point, fiche, annonce="Décision consignée."
                )
            messages.success(request, "Décision consignée.")
            return redirect("reunions:seance_fiche", pk, reunion.pk, numero)
    if choosing:
        form.errors.clear()
    status = 200 if choosing else 400
    if request.htmx:
        return _decisions_section(request, reunion, point, fiche, form=form, status=status)
    context = _seance_context(request, reunion, numero)
    context["form"] = form
    return render(request, "reunions/seance.html", context, status=status)


def _decision_context(request, decision: Decision, **extra) -> dict:
    reunion = decision.point.reunion
    return {
        "decision": decision,
        "reunion": reunion,
        "contrat": reunion.contrat,
        "next": _next_url(request, _seance_url(decision)),
        **_rights(request.user, reunion),
        **extra,
    }


def _decision_item(request, decision: Decision, status=200, **extra):
    decision = Decision.objects.select_related(
        "point__fiche", "point__reunion", "appliquee_par", "close_par", "auteur"
    ).get(pk=decision.pk)
    _described([decision], decision.point.fiche, request.user)
    selectors.reunions_rangs([decision.point.reunion])
    context = _decision_context(request, decision, **extra)
    context["courante"] = request.POST.get("courante", request.GET.get("courante")) != "0"
    return render(request, "reunions/includes/decision_item.html", context, status=status)


@require_http_methods(["GET", "POST"])
def decision_edit(request, pk, decision_pk):
    """Modifier (verrou de version) ou supprimer une décision consignée."""
    decision = get_decision_for(request.user, pk, decision_pk)
    reunion = decision.point.reunion
    point = decision.point
    fiche = selectors.seance_fiche(point)
    point.fiche = fiche
    fiches = selectors.contrat_fiches_courtes(reunion)
    modifiable = decision.peut_modifier(request.user)
    if request.method == "GET":
        if request.GET.get("vue") == "item" or (request.htmx and not modifiable):
            return _decision_item(request, decision)  # « Annuler » la modification
        form = _decision_form(point, fiche, fiches, decision=decision) if modifiable else None
        return _decision_form_response(request, decision, form)
    if not modifiable:
        return _decision_locked(request, decision)
    if "supprimer" in request.POST:
        return _decision_delete(request, decision, fiche, fiches)
    form = _decision_form(point, fiche, fiches, data=request.POST, decision=decision)
    choosing = "choisir" in request.POST
    conflit = None
    if not choosing and form.is_valid():
        try:
            saved = services.decision_update(
                decision=decision,
                user=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                fields=form.service_fields(),
                confirmations=form.personal_data_confirmed,
            )
        except ConflitDeVersion:
            # Rien n'est écrasé : la saisie reste, la version actuelle est montrée,
            # un nouvel envoi (en connaissance de cause) partira de celle-ci.
            conflit = Decision.objects.select_related("point__fiche").get(pk=decision.pk)
            post = request.POST.copy()
            post[form.add_prefix("version")] = conflit.version
            form = _decision_form(point, fiche, fiches, data=post, decision=decision)
            form.is_valid()
            return _decision_form_response(request, decision, form, status=409, conflit=conflit)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if request.htmx:
                return _decision_item(request, saved, annonce="Décision modifiée.")
            messages.success(request, "Décision modifiée.")
            return redirect(_next_url(request, _seance_url(decision)))
    if choosing:
        form.errors.clear()
    return _decision_form_response(request, decision, form, status=200 if choosing else 400)


def _decision_delete(request, decision: Decision, fiche, fiches):
    """« Supprimer » une décision : avec htmx, la décision laisse place à une mention (et à
    « Aucune décision » s'il n'en reste plus) ; refusée, le formulaire dit pourquoi."""
    point = decision.point
    try:
        services.decision_delete(decision=decision, user=request.user)
    except ValidationError as exc:
        form = _decision_form(point, fiche, fiches, decision=decision)
        form.add_error(None, exc.messages)
        return _decision_form_response(request, decision, form, status=400)
    if request.htmx:
        # La dernière décision de la fiche supprimée : la liste le dit, comme la page.
        vide = (
            ""
            if point.decisions.exists()
            else '<li class="decisions__vide">Aucune décision consignée pour cette fiche.</li>'
        )
        return HttpResponse(
            '<li class="decision decision--supprimee"><p class="fr-text--sm">'
            "Décision supprimée.</p></li>" + vide
        )
    messages.success(request, "Décision supprimée.")
    return redirect(_next_url(request, _seance_url(decision)))


def _decision_locked(request, decision: Decision):
    """Modification refusée : la séance verrouillée le dit en clair (la décision reste
    affichée, en lecture seule) ; sinon, ce n'est pas la décision de cette personne."""
    message = decision.point.reunion.verrou_seance
    if not message:
        raise PermissionDenied(
            "Seuls les pilotes du contrat et l'auteur de la décision, référent de la fiche, "
            "la modifient."
        )
    if request.htmx:
        return _decision_item(request, decision, status=409, refus=message)
    messages.error(request, message)
    return redirect(request.path)


def _decision_form_response(request, decision, form, status=200, **extra):
    context = _decision_context(request, decision, form=form, **extra)
    context["fiche"] = decision.point.fiche
    context["point"] = decision.point
    if request.htmx:
        return render(request, "reunions/includes/decision_edit.html", context, status=status)
    context["title"] = "Modifier une décision" if form is not None else "Décision de réunion"
    context["historique"] = selectors.decision_historique(decision)
    context["page_decision"] = True
    _described([decision], decision.point.fiche, request.user)
    return render(request, "reunions/seance_decision.html", context, status=status)


def _decision_answer(request, decision: Decision, *, status=200, close=False, **extra):
    """Réponse HTMX à « Appliquer » ou « Clore » : la liste des décisions du contrat si
    l'action vient d'elle (`vue=liste`) ; la décision close d'une réunion précédente
    quitte les « décisions ouvertes » de la séance ; sinon, la décision mise à jour."""
    if request.POST.get("vue") == "liste":
        extra.pop("cloture_form", None)
        contrat = decision.point.reunion.contrat
        return decisions_liste(request, contrat, status=status, **extra)
    if close and request.POST.get("courante") == "0":
        context = {"decision": decision, **extra}
        return render(request, "reunions/includes/decision_retiree.html", context)
    return _decision_item(request, decision, status=status, **extra)


@require_POST
def decision_apply(request, pk, decision_pk):
    """Applique le changement de la décision à la fiche (pilotes)."""
    decision = get_decision_for(request.user, pk, decision_pk)
    try:
        services.decision_apply(decision=decision, user=request.user)
    except ValidationError as exc:
        message = "La décision n'a pas été appliquée : " + " ".join(exc.messages)
        if request.htmx:
            return _decision_answer(request, decision, status=400, erreur=message)
        messages.error(request, message)
    else:
        if request.htmx:
            return _decision_answer(request, decision, annonce="Décision appliquée à la fiche.")
        messages.success(request, "Décision appliquée à la fiche : voir l'historique de la fiche.")
    return redirect(_next_url(request, _seance_url(decision)))


@require_POST
def decision_close(request, pk, decision_pk):
    """Clôt une décision (pilotes), avec un commentaire facultatif."""
    decision = get_decision_for(request.user, pk, decision_pk)
    if not can_organise(request.user, decision.point.reunion):
        raise PermissionDenied("Seuls les pilotes du contrat closent les décisions.")
    form = ClotureForm(request.POST, prefix=f"c{decision.pk}")
    if form.is_valid():
        services.decision_close(
            decision=decision,
            user=request.user,
            commentaire=form.cleaned_data["commentaire"],
            confirmations=form.personal_data_confirmed,
        )
        if request.htmx:
            return _decision_answer(request, decision, annonce="Décision close.", close=True)
        messages.success(request, "Décision close : elle ne reviendra plus à l'ordre du jour.")
        return redirect(_next_url(request, _seance_url(decision)))
    if request.htmx:
        return _decision_answer(request, decision, status=400, cloture_form=form)
    messages.error(request, " ".join(form.non_field_errors()) or "La décision n'a pas été close.")
    return redirect(_next_url(request, _seance_url(decision)))

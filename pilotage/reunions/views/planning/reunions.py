"""Liste des réunions du contrat, planification, modification et annulation, décisions."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.contrats.permissions import get_contrat_for

from ... import selectors, services
from ...forms import (
    DecisionFiltresForm,
    ReunionForm,
)
from ...models import Decision, Reunion
from ...permissions import can_organise, get_reunion_for, require_organiser
from .abonnements import jeton_actif
from .common import _all_reunions, _breadcrumb, _detail_url, _send

# --- Liste ------------------------------------------------------------------------------


@require_GET
def reunion_list(request, pk):
    contrat = get_contrat_for(request.user, pk)
    reunions = _all_reunions(contrat)
    now = timezone.now()
    proposition = selectors.prochaine_reunion(contrat, reunions=reunions)
    return render(
        request,
        "reunions/liste.html",
        {
            "title": f"Réunions de suivi – {contrat.departement.nom}",
            "contrat": contrat,
            "a_venir": [r for r in reunions if r.date >= now],
            "passees": [r for r in reversed(reunions) if r.date < now],
            "proposition": proposition,
            "peut_organiser": can_organise(request.user, contrat),
            "jeton_flux": jeton_actif(request.user, contrat),
            "breadcrumb_data": _breadcrumb(contrat),
        },
    )


# --- Création et modification -------------------------------------------------------


def _fiches(contrat: Contrat):
    return FicheAction.objects.filter(contrat=contrat).only(
        "pk", "numero", "numero_texte", "titre", "a_impact"
    )


def _form_page(request, contrat, form, reunion=None, status=200):
    title = f"Modifier la réunion : {reunion}" if reunion else "Planifier une réunion de suivi"
    return render(
        request,
        "reunions/reunion_form.html",
        {
            "title": title,
            "contrat": contrat,
            "reunion": reunion,
            "form": form,
            "breadcrumb_data": _breadcrumb(
                contrat, reunion, "Modifier" if reunion else "Planifier une réunion"
            ),
        },
        status=status,
    )


def _initial_for_new(contrat: Contrat) -> dict:
    """Date au début de la fenêtre proposée (6 mois après la dernière réunion), ou dans
    quinze jours si cette fenêtre est déjà passée ; 14 h, deux heures."""
    proposition = selectors.prochaine_reunion(contrat)
    soon = timezone.localdate() + datetime.timedelta(days=15)
    day = proposition.debut if proposition.debut > timezone.localdate() else soon
    return {
        "type": Reunion.Type.COMITE_SUIVI,
        "jour": day,
        "heure": "14:00",
        "duree_minutes": 120,
        "ordre_du_jour": Reunion.OrdreDuJour.A_IMPACT,
    }


def _form_save(request, form: ReunionForm, service, **target) -> Reunion | None:
    """Passe la saisie valide du formulaire au service (création ou modification) ; None si
    elle est invalide ou que le service la refuse (l'erreur est alors portée par le formulaire)."""
    if not form.is_valid():
        return None
    try:
        return service(
            user=request.user,
            fields=form.service_fields(),
            selection=form.selection(),
            **target,
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return None


@require_http_methods(["GET", "POST"])
def reunion_create(request, pk):
    contrat = get_contrat_for(request.user, pk)
    require_organiser(request.user, contrat)
    fiches = _fiches(contrat)
    if request.method != "POST":
        form = ReunionForm(initial=_initial_for_new(contrat), contrat=contrat, fiches=fiches)
        return _form_page(request, contrat, form)
    form = ReunionForm(request.POST, contrat=contrat, fiches=fiches)
    reunion = _form_save(request, form, services.reunion_create, contrat=contrat)
    if reunion is None:
        return _form_page(request, contrat, form, status=400)
    messages.success(
        request,
        "La réunion est planifiée et les pilotes du contrat y sont inscrits. Ajoutez les "
        "autres participants, puis envoyez les invitations.",
    )
    return redirect(_detail_url(reunion))


def _cancel(request, reunion: Reunion):
    invited = reunion.participations.filter(invitation_envoyee_le__isnull=False).exists()
    try:
        reunion = services.reunion_cancel(reunion=reunion, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(reunion))
    text = "La réunion est annulée."
    if invited:
        sent = _send(request, reunion)
        if sent:
            text += f" L'annulation a été envoyée aux {sent} personne(s) déjà invitée(s)."
    messages.success(request, text)
    return redirect(_detail_url(reunion))


@require_http_methods(["GET", "POST"])
def reunion_edit(request, pk, reunion_pk):
    """Modifier la réunion ; `?annuler=1` demande confirmation de l'annulation, confirmée
    par un POST `action=annuler`."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    require_organiser(request.user, reunion)
    contrat = reunion.contrat
    if reunion.est_figee or reunion.statut == Reunion.Statut.ANNULEE:
        messages.error(
            request,
            "Cette réunion ne peut plus être modifiée : elle est annulée ou son compte rendu est validé.",
        )
        return redirect(_detail_url(reunion))
    if request.method == "POST" and request.POST.get("action") == "annuler":
        return _cancel(request, reunion)
    if request.method == "GET" and request.GET.get("annuler"):
        return render(
            request,
            "reunions/reunion_annuler.html",
            {
                "title": f"Annuler la réunion : {reunion}",
                "contrat": contrat,
                "reunion": reunion,
                "invites": reunion.participations.filter(
                    invitation_envoyee_le__isnull=False
                ).count(),
                "breadcrumb_data": _breadcrumb(contrat, reunion, "Annuler"),
            },
        )
    fiches = _fiches(contrat)
    if request.method != "POST":
        form = ReunionForm(initial=ReunionForm.initial_for(reunion), contrat=contrat, fiches=fiches)
        return _form_page(request, contrat, form, reunion)
    form = ReunionForm(request.POST, contrat=contrat, fiches=fiches)
    sequence = reunion.sequence
    updated = _form_save(request, form, services.reunion_update, reunion=reunion)
    if updated is None:
        return _form_page(request, contrat, form, reunion, status=400)
    text = "La réunion est modifiée."
    if (
        updated.sequence != sequence
        and updated.participations.filter(invitation_envoyee_le__isnull=False).exists()
    ):
        text += (
            " La date ou le lieu a changé : renvoyez les invitations pour mettre à jour "
            "les agendas des participants."
        )
    messages.success(request, text)
    return redirect(_detail_url(reunion))


# --- Décisions du contrat ---------------------------------------------------------------


#: Actions proposées dans la liste des décisions : (action, libellé, adresse, classes).
ACTIONS_LISTE = [
    ("appliquer", "Appliquer à la fiche", "reunions:decision_apply", ""),
    ("clore", "Clore", "reunions:decision_close", "fr-btn--secondary"),
]


def decisions_context(request, contrat: Contrat, data) -> dict:
    """La liste des décisions du contrat filtrée par `data` (statut, fiche) : ce que `user`
    peut faire de chacune (`Decision.actions_possibles`), l'adresse de retour des actions."""
    numeros = list(
        FicheAction.objects.filter(contrat=contrat)
        .order_by("numero")
        .values_list("numero", "numero_texte")
    )
    filtres = DecisionFiltresForm(data or None, numeros=numeros)
    reunions = {r.pk: r for r in _all_reunions(contrat)}
    items = list(
        filtres.filter(
            Decision.objects.filter(point__reunion__contrat=contrat).select_related(
                "point__fiche", "point__reunion"
            )
        ).order_by("point__reunion__date", "point__fiche__numero", "created_at", "pk")
    )
    for decision in items:
        decision.point.reunion = reunions.get(decision.point.reunion_id, decision.point.reunion)
        decision.point.reunion.contrat = contrat
        decision.point.fiche.contrat = contrat
        decision.actions = decision.actions_possibles(request.user)
    valeurs = {name: data.get(name) for name in ("statut", "fiche") if data and data.get(name)}
    return {
        "contrat": contrat,
        "avec_actions": any(decision.actions for decision in items),
        "actions_liste": ACTIONS_LISTE,
        "filtres": filtres,
        "filtres_valeurs": valeurs,
        "decisions": items,
        "liste_url": reverse("reunions:decisions", args=[contrat.pk])
        + (f"?{urlencode(valeurs)}" if valeurs else ""),
    }


def decisions_liste(request, contrat: Contrat, *, status: int = 200, **extra):
    """Le fragment de la liste (HTMX) après une action, aux filtres que portait le
    formulaire de l'action : une décision close quitte la liste des ouvertes."""
    context = decisions_context(request, contrat, request.POST) | extra
    return render(request, "reunions/decisions.html#liste-decisions", context, status=status)


@require_GET
def decisions(request, pk):
    contrat = get_contrat_for(request.user, pk)
    context = {
        "title": f"Décisions des réunions de suivi – {contrat.departement.nom}",
        **decisions_context(request, contrat, request.GET),
        # Traces des décisions supprimées : pour les pilotes, qui répondent du suivi.
        "supprimees": selectors.decisions_supprimees(contrat)
        if can_organise(request.user, contrat)
        else None,
        "breadcrumb_data": {
            "links": [
                {"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)},
                {"url": reverse("reunions:list", args=[contrat.pk]), "title": "Réunions de suivi"},
            ],
            "current": "Décisions",
        },
    }
    if request.htmx:
        return render(request, "reunions/decisions.html#liste-decisions", context)
    return render(request, "reunions/decisions.html", context)

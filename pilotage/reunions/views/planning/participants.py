"""Page de la réunion, participants (statut en HTMX, ajout, retrait) et temps prévu par
fiche de l'ordre du jour."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotage.contrats.adresses import adresses_des_fiches
from pilotage.contrats.permissions import get_contrat_for
from pilotage.core.requests import malformed_pk_response, posted_pk

from ... import selectors, services
from ...forms import (
    DureesForm,
    ParticipationAddForm,
    ParticipationStatutForm,
)
from ...models import Decision, Reunion
from ...permissions import can_organise, get_reunion_for, require_organiser, reunion_among
from .champs import durees_champs, statut_champs
from .common import _breadcrumb, _detail_url

# --- Page de la réunion et participants ---------------------------------------------


def _participant_rows(reunion: Reunion, participations, forms: dict) -> list[dict]:
    rows = []
    for participation in participations:
        participation.reunion = reunion
        rows.append({"p": participation, "form": forms.get(participation.pk)})
    return rows


def _participants_url(reunion: Reunion) -> str:
    """L'adresse des formulaires de chaque ligne (statut, retrait), résolue une fois."""
    return reverse("reunions:participants", args=[reunion.contrat_id, reunion.pk])


def _participants_context(request, reunion: Reunion, add_form=None) -> dict:
    organiser = can_organise(request.user, reunion) and not reunion.est_figee
    participations = list(
        reunion.participations.select_related("user", "institution").order_by(
            "institution__nom", "nom", "user__last_name", "pk"
        )
    )
    # Un rendu du champ pour toute la liste (champs.py), pas un par institution ni par
    # participant.
    forms = statut_champs(participations) if organiser else {}
    groups = [
        {"institution": institution, "rows": _participant_rows(reunion, list(items), forms)}
        for institution, items in groupby(participations, key=lambda p: p.institution)
    ]
    # Les personnes sans institution à la fin.
    groups.sort(key=lambda g: g["institution"] is None)
    if organiser and add_form is None and reunion.statut != Reunion.Statut.ANNULEE:
        add_form = ParticipationAddForm(contrat=reunion.contrat, reunion=reunion)
    return {
        "reunion": reunion,
        "contrat": reunion.contrat,
        "participants_url": _participants_url(reunion),
        "groupes": groups,
        "nb_participants": len(participations),
        "sans_adresse": sum(1 for p in participations if not p.adresse),
        "failed_invitations": [p for p in participations if p.email_failed],
        "peut_organiser": organiser,
        "add_form": add_form if organiser else None,
    }


def _detail_context(
    request, reunion: Reunion, add_form=None, durees_form=None, reunions=None
) -> dict:
    contrat = reunion.contrat
    if reunions is None:
        reunions = selectors.reunions_avec_rang(contrat)
    reunion._rang = next((r._rang for r in reunions if r.pk == reunion.pk), None)
    rang_of = {r.pk: r for r in reunions}
    points = selectors.ordre_du_jour_court(reunion)
    # Les réunions des décisions reportées sont celles du contrat, déjà lues avec leur rang.
    reportees = list(selectors.decisions_reportees(reunion).order_by("point__reunion__date", "pk"))
    by_fiche: dict[int, list[Decision]] = {}
    for decision in reportees:
        decision.point.reunion = rang_of.get(decision.point.reunion_id) or decision.point.reunion
        by_fiche.setdefault(decision.point.fiche_id, []).append(decision)
    fiche_url = adresses_des_fiches(contrat.pk)
    for point in points:
        point.decisions_ouvertes = by_fiche.get(point.fiche_id, [])
        point.fiche_url = fiche_url(point.fiche.numero)
    actions = reunion.actions_possibles(request.user)
    if "modifier" in actions:
        if durees_form is None:  # non soumis : un rendu du champ pour tout l'ordre du jour
            champs = durees_champs(points)
            for point in points:
                point.duree_field = champs[point.pk]
        else:  # refusé : chaque champ avec son message
            for point in points:
                point.duree_field = durees_form[f"duree_{point.pk}"]
    return _participants_context(request, reunion, add_form) | {
        "title": f"{reunion} – {reunion.titre}",
        "points": points,
        "decisions_reportees": reportees,
        "actions": actions,
        "breadcrumb_data": _breadcrumb(contrat, reunion),
    }


@require_GET
def reunion_detail(request, pk, reunion_pk):
    # La réunion prise dans la liste des réunions du contrat, lue pour les rangs (sans le
    # nombre de fiches ni l'auteur de chacune, que seule la liste des réunions montre).
    reunions = selectors.reunions_avec_rang(get_contrat_for(request.user, pk))
    reunion = reunion_among(reunions, reunion_pk)
    context = _detail_context(request, reunion, reunions=reunions)
    return render(request, "reunions/reunion.html", context)


def _participants_response(request, reunion, add_form=None, status=200, annonce=""):
    if request.htmx:
        context = _participants_context(request, reunion, add_form) | {"annonce": annonce}
        return render(request, "reunions/includes/participants.html", context, status=status)
    context = _detail_context(request, reunion, add_form)
    return render(request, "reunions/reunion.html", context, status=status)


def _participant_status(request, reunion: Reunion):
    participation_pk = posted_pk(request.POST, "participation")
    if participation_pk is None:
        return malformed_pk_response(request, "le participant")
    participation = get_object_or_404(
        reunion.participations.select_related("user", "institution"), pk=participation_pk
    )
    participation.reunion = reunion
    form = ParticipationStatutForm(request.POST, prefix=f"p{participation.pk}")
    if not form.is_valid():
        return HttpResponse("Statut inconnu : rien n'a été enregistré.", status=400)
    services.participation_set(
        participation=participation, statut=form.cleaned_data["statut"], user=request.user
    )
    if request.htmx:
        row = _participant_rows(reunion, [participation], statut_champs([participation]))[0]
        return render(
            request,
            "reunions/includes/participant_ligne.html",
            {
                "row": row,
                "reunion": reunion,
                "contrat": reunion.contrat,
                "participants_url": _participants_url(reunion),
                "peut_organiser": True,
            },
        )
    messages.success(
        request, f"{participation.libelle} : {participation.get_statut_display().lower()}."
    )
    return redirect(_detail_url(reunion) + "#participants")


def _participant_add(request, reunion: Reunion):
    form = ParticipationAddForm(request.POST, contrat=reunion.contrat, reunion=reunion)
    if not form.is_valid():
        return _participants_response(request, reunion, add_form=form, status=400)
    data = form.cleaned_data
    participation = services.participation_add(
        reunion=reunion,
        user=data["user"],
        institution=data["institution"],
        nom=data["nom"],
        email=data["email"],
    )
    text = f"{participation.libelle} est ajouté(e) aux participants."
    if request.htmx:  # annoncé dans la liste rendue, pas aussi à la page suivante
        return _participants_response(request, reunion, annonce=text)
    messages.success(request, text)
    return redirect(_detail_url(reunion) + "#participants")


def _participant_remove(request, reunion: Reunion):
    participation_pk = posted_pk(request.POST, "participation")
    if participation_pk is None:
        return malformed_pk_response(request, "le participant")
    participation = get_object_or_404(
        reunion.participations.select_related("user"), pk=participation_pk
    )
    participation.reunion = reunion
    services.participation_remove(participation=participation, user=request.user)
    text = f"{participation.libelle} est retiré(e) des participants."
    if request.htmx:
        return _participants_response(request, reunion, annonce=text)
    messages.success(request, text)
    return redirect(_detail_url(reunion) + "#participants")


PARTICIPANT_ACTIONS = {
    "statut": _participant_status,
    "ajouter": _participant_add,
    "retirer": _participant_remove,
}


@require_http_methods(["GET", "POST"])
def participants(request, pk, reunion_pk):
    """Participants : la liste (page entière, ou fragment pour HTMX) ; en POST, `action`
    = statut (présent, excusé…), ajouter (compte habilité ou invité extérieur), retirer."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    if request.method == "GET":
        return _participants_response(request, reunion)
    require_organiser(request.user, reunion)
    action = PARTICIPANT_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse("Action inconnue : rien n'a été enregistré.", status=400)
    try:
        return action(request, reunion)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(reunion) + "#participants")


@require_POST
def durees(request, pk, reunion_pk):
    """Temps prévu par fiche de l'ordre du jour (pilotes), repris par le minuteur de séance."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    require_organiser(request.user, reunion)
    points = list(reunion.points.select_related("fiche").order_by("ordre", "fiche__numero"))
    form = DureesForm(request.POST, points=points)
    if not form.is_valid():
        messages.error(request, "Temps prévus non enregistrés : corrigez les valeurs signalées.")
        context = _detail_context(request, reunion, durees_form=form)
        return render(request, "reunions/reunion.html", context, status=400)
    try:
        changed = services.points_durees_set(
            reunion=reunion, user=request.user, durees=form.durees()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(reunion) + "#odj-titre")
    messages.success(
        request,
        "Temps prévus enregistrés : le minuteur de la séance les affichera."
        if changed
        else "Aucun temps prévu n'a changé.",
    )
    return redirect(_detail_url(reunion) + "#odj-titre")

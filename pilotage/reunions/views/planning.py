"""Planification des réunions : liste du contrat, création et modification, page de la
réunion (participants, ordre du jour), invitations par courriel, fichiers iCalendar
(une réunion, le contrat, le flux à jeton pour s'abonner depuis un agenda), décisions.

Droits : voir = voir le contrat (sinon 404) ; planifier, modifier, annuler, gérer les
participants, envoyer les invitations = pilote du contrat (403 sinon). Le flux à jeton
se lit sans session : le jeton signé désigne le contrat et la personne, qui doit encore
le voir (sinon 404).
"""

import datetime
import logging
import smtplib
from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.contrats.permissions import get_contrat_for

from .. import services
from ..forms import (
    DecisionFiltresForm,
    ParticipationAddForm,
    ParticipationStatutForm,
    ReunionForm,
)
from ..ics import contrat_calendar, flux_token, flux_token_read, organizer_of, reunion_calendar
from ..models import Decision, Reunion
from ..permissions import can_organise, get_reunion_for, require_organiser

logger = logging.getLogger(__name__)

ICS_TYPE = "text/calendar; charset=utf-8"


def _breadcrumb(contrat: Contrat, reunion: Reunion | None = None, current: str = "") -> dict:
    links = [{"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)}]
    if reunion is None:
        return {"links": links, "current": current or "Réunions de suivi"}
    links.append({"url": reverse("reunions:list", args=[contrat.pk]), "title": "Réunions de suivi"})
    if current:
        links.append(
            {
                "url": reverse("reunions:detail", args=[contrat.pk, reunion.pk]),
                "title": str(reunion),
            }
        )
    return {"links": links, "current": current or str(reunion)}


def _detail_url(reunion: Reunion) -> str:
    return reverse("reunions:detail", args=[reunion.contrat_id, reunion.pk])


def _all_reunions(contrat: Contrat) -> list[Reunion]:
    """Toutes les réunions du contrat en une requête, rang dans l'année compris."""
    reunions = list(
        contrat.reunions.select_related("created_by")
        .annotate(nb_fiches=Count("points"))
        .order_by("date", "pk")
    )
    for reunion in reunions:
        reunion.contrat = contrat
    services.rangs_set(reunions)
    return reunions


def _refuse(exc: PermissionError):
    raise PermissionDenied(str(exc)) from exc


# --- Liste ------------------------------------------------------------------------------


@require_GET
def reunion_list(request, pk):
    contrat = get_contrat_for(request.user, pk)
    reunions = _all_reunions(contrat)
    now = timezone.now()
    proposition = services.prochaine_reunion(contrat, reunions=reunions)
    flux_url = request.build_absolute_uri(
        reverse("reunions:flux_ics", args=[flux_token(contrat, request.user)])
    )
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
            "flux_url": flux_url,
            "breadcrumb_data": _breadcrumb(contrat),
        },
    )


# --- Création et modification -------------------------------------------------------


def _fiches(contrat: Contrat):
    return FicheAction.objects.filter(contrat=contrat).only("pk", "numero", "titre", "a_impact")


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
    proposition = services.prochaine_reunion(contrat)
    soon = timezone.localdate() + datetime.timedelta(days=15)
    day = proposition.debut if proposition.debut > timezone.localdate() else soon
    return {
        "type": Reunion.Type.COMITE_SUIVI,
        "jour": day,
        "heure": "14:00",
        "duree_minutes": 120,
        "ordre_du_jour": Reunion.OrdreDuJour.A_IMPACT,
    }


@require_http_methods(["GET", "POST"])
def reunion_create(request, pk):
    contrat = get_contrat_for(request.user, pk)
    require_organiser(request.user, contrat)
    fiches = _fiches(contrat)
    if request.method != "POST":
        form = ReunionForm(initial=_initial_for_new(contrat), contrat=contrat, fiches=fiches)
        return _form_page(request, contrat, form)
    form = ReunionForm(request.POST, contrat=contrat, fiches=fiches)
    if form.is_valid():
        try:
            reunion = services.reunion_create(
                contrat=contrat,
                user=request.user,
                fields=form.service_fields(),
                selection=form.selection(),
            )
        except PermissionError as exc:
            _refuse(exc)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                "La réunion est planifiée et les pilotes du contrat y sont inscrits. Ajoutez les "
                "autres participants, puis envoyez les invitations.",
            )
            return redirect(_detail_url(reunion))
    return _form_page(request, contrat, form, status=400)


def _cancel(request, reunion: Reunion):
    invited = reunion.participations.filter(invitation_envoyee_le__isnull=False).exists()
    try:
        reunion = services.reunion_cancel(reunion=reunion, user=request.user)
    except PermissionError as exc:
        _refuse(exc)
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
    if form.is_valid():
        sequence = reunion.sequence
        try:
            updated = services.reunion_update(
                reunion=reunion,
                user=request.user,
                fields=form.service_fields(),
                selection=form.selection(),
            )
        except PermissionError as exc:
            _refuse(exc)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
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
    return _form_page(request, contrat, form, reunion, status=400)


# --- Page de la réunion et participants ---------------------------------------------


def _participant_rows(reunion: Reunion, participations, organiser: bool) -> list[dict]:
    rows = []
    for participation in participations:
        participation.reunion = reunion
        form = None
        if organiser:
            form = ParticipationStatutForm(
                initial={"statut": participation.statut}, prefix=f"p{participation.pk}"
            )
            form.fields["statut"].label = f"Statut de {participation.libelle}"
        rows.append({"p": participation, "form": form})
    return rows


def _participants_context(request, reunion: Reunion, add_form=None) -> dict:
    organiser = can_organise(request.user, reunion) and not reunion.est_figee
    participations = list(
        reunion.participations.select_related("user", "institution").order_by(
            "institution__nom", "nom", "user__last_name", "pk"
        )
    )
    groups = [
        {"institution": institution, "rows": _participant_rows(reunion, list(items), organiser)}
        for institution, items in groupby(participations, key=lambda p: p.institution)
    ]
    # Les personnes sans institution à la fin.
    groups.sort(key=lambda g: g["institution"] is None)
    if organiser and add_form is None and reunion.statut != Reunion.Statut.ANNULEE:
        add_form = ParticipationAddForm(contrat=reunion.contrat, reunion=reunion)
    return {
        "reunion": reunion,
        "contrat": reunion.contrat,
        "groupes": groups,
        "nb_participants": len(participations),
        "sans_adresse": sum(1 for p in participations if not p.adresse),
        "peut_organiser": organiser,
        "add_form": add_form if organiser else None,
    }


def _detail_context(request, reunion: Reunion, add_form=None) -> dict:
    contrat = reunion.contrat
    reunions = _all_reunions(contrat)
    reunion._rang = next((r._rang for r in reunions if r.pk == reunion.pk), None)
    rang_of = {r.pk: r for r in reunions}
    points = list(reunion.points.select_related("fiche").order_by("ordre", "fiche__numero"))
    reportees = list(services.decisions_reportees(reunion).order_by("point__reunion__date", "pk"))
    by_fiche: dict[int, list[Decision]] = {}
    for decision in reportees:
        decision.point.reunion = rang_of.get(decision.point.reunion_id, decision.point.reunion)
        by_fiche.setdefault(decision.point.fiche_id, []).append(decision)
    for point in points:
        point.decisions_ouvertes = by_fiche.get(point.fiche_id, [])
    organiser = can_organise(request.user, reunion)
    annulee = reunion.statut == Reunion.Statut.ANNULEE
    return _participants_context(request, reunion, add_form) | {
        "title": f"{reunion} – {reunion.titre}",
        "points": points,
        "decisions_reportees": reportees,
        "peut_modifier": organiser and not annulee and not reunion.est_figee,
        "peut_inviter": organiser and not annulee and not reunion.est_passee,
        "breadcrumb_data": _breadcrumb(contrat, reunion),
    }


@require_GET
def reunion_detail(request, pk, reunion_pk):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    return render(request, "reunions/reunion.html", _detail_context(request, reunion))


def _participants_response(request, reunion, add_form=None, status=200):
    if request.htmx:
        context = _participants_context(request, reunion, add_form)
        return render(request, "reunions/includes/participants.html", context, status=status)
    context = _detail_context(request, reunion, add_form)
    return render(request, "reunions/reunion.html", context, status=status)


def _participant_status(request, reunion: Reunion):
    participation = get_object_or_404(
        reunion.participations.select_related("user", "institution"),
        pk=request.POST.get("participation") or 0,
    )
    participation.reunion = reunion
    form = ParticipationStatutForm(request.POST, prefix=f"p{participation.pk}")
    if not form.is_valid():
        return HttpResponse("Statut inconnu : rien n'a été enregistré.", status=400)
    services.participation_set(participation=participation, statut=form.cleaned_data["statut"])
    if request.htmx:
        row = _participant_rows(reunion, [participation], organiser=True)[0]
        return render(
            request,
            "reunions/includes/participant_ligne.html",
            {"row": row, "reunion": reunion, "contrat": reunion.contrat, "peut_organiser": True},
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
    messages.success(request, f"{participation.libelle} est ajouté(e) aux participants.")
    if request.htmx:
        return _participants_response(request, reunion)
    return redirect(_detail_url(reunion) + "#participants")


def _participant_remove(request, reunion: Reunion):
    participation = get_object_or_404(
        reunion.participations.select_related("user"), pk=request.POST.get("participation") or 0
    )
    participation.reunion = reunion
    services.participation_remove(participation=participation, user=request.user)
    messages.success(request, f"{participation.libelle} est retiré(e) des participants.")
    if request.htmx:
        return _participants_response(request, reunion)
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
    except PermissionError as exc:
        _refuse(exc)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(reunion) + "#participants")


# --- Invitations et iCalendar ---------------------------------------------------------


def _send(request, reunion: Reunion) -> int | None:
    """Envoie les invitations (ou l'annulation) ; None et un message clair si le serveur
    de courriel échoue."""
    try:
        return services.invitations_send(
            reunion=reunion, user=request.user, base_url=request.build_absolute_uri("/")
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Envoi des invitations impossible pour la réunion %s", reunion.pk)
        messages.error(
            request,
            "Le serveur de courriel n'a pas répondu : aucune invitation n'est marquée comme "
            "envoyée. Réessayez dans quelques minutes.",
        )
        return None


@require_POST
def invitations_send(request, pk, reunion_pk):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    require_organiser(request.user, reunion)
    try:
        sent = _send(request, reunion)
    except PermissionError as exc:
        _refuse(exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(
                request,
                f"{sent} invitation(s) envoyée(s) par courriel, avec le fichier d'agenda (.ics).",
            )
        elif sent == 0:
            messages.warning(
                request,
                "Aucune invitation envoyée : aucun participant n'a d'adresse de courriel.",
            )
    return redirect(_detail_url(reunion) + "#participants")


def _ics_response(data: bytes, filename: str, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=ICS_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def reunion_ics(request, pk, reunion_pk):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    reunion._rang = next(
        (r._rang for r in _all_reunions(reunion.contrat) if r.pk == reunion.pk), None
    )
    participations = list(reunion.participations.select_related("user"))
    fiches = list(
        reunion.points.order_by("ordre", "fiche__numero").values_list("fiche__numero", flat=True)
    )
    data = reunion_calendar(
        reunion,
        method="PUBLISH",
        url=request.build_absolute_uri(_detail_url(reunion)),
        participations=participations,
        organizer=organizer_of(reunion),
        fiches=fiches,
    )
    day = timezone.localtime(reunion.date).date().isoformat()
    return _ics_response(data, f"reunion-{reunion.contrat.departement.code}-{day}.ics")


def _contrat_feed(request, contrat: Contrat, attachment: bool) -> HttpResponse:
    reunions = [r for r in _all_reunions(contrat) if r.statut != Reunion.Statut.ANNULEE]
    data = contrat_calendar(
        contrat,
        reunions,
        url_of=lambda r: request.build_absolute_uri(_detail_url(r)),
    )
    filename = f"reunions-{contrat.departement.code}.ics"
    return _ics_response(data, filename, attachment=attachment)


@require_GET
def contrat_ics(request, pk):
    contrat = get_contrat_for(request.user, pk)
    return _contrat_feed(request, contrat, attachment=True)


@login_not_required
@require_GET
def flux_ics(request, jeton):
    """Flux d'agenda à jeton : sans session (un agenda ne se connecte pas)."""
    ids = flux_token_read(jeton)
    if ids is None:
        raise Http404("Adresse d'agenda inconnue.")
    contrat_pk, user_pk = ids
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        raise Http404("Adresse d'agenda inconnue.")
    contrat = get_object_or_404(
        Contrat.objects.visibles_par(user).select_related("departement", "generation"),
        pk=contrat_pk,
    )
    response = _contrat_feed(request, contrat, attachment=False)
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Décisions du contrat ---------------------------------------------------------------


@require_GET
def decisions(request, pk):
    contrat = get_contrat_for(request.user, pk)
    numeros = list(
        FicheAction.objects.filter(contrat=contrat)
        .order_by("numero")
        .values_list("numero", flat=True)
    )
    filtres = DecisionFiltresForm(request.GET or None, numeros=numeros)
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
        decision.point.fiche.contrat = contrat
    context = {
        "title": f"Décisions des réunions de suivi – {contrat.departement.nom}",
        "contrat": contrat,
        "filtres": filtres,
        "decisions": items,
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

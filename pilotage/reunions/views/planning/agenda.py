"""Invitations par courriel et fichiers iCalendar (réunion, contrat, flux à jeton)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pilotage.contrats.models import Contrat
from pilotage.contrats.permissions import get_contrat_for
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from ... import services
from ...ics import contrat_calendar, organizer_of, reunion_calendar
from ...models import Reunion
from ...permissions import get_reunion_for
from .common import ICS_TYPE, _all_reunions, _detail_url, _send

# --- Invitations et iCalendar ---------------------------------------------------------


@require_POST
def invitations_send(request, pk, reunion_pk):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    try:
        sent = _send(request, reunion)  # réservé aux pilotes : vérifié par le service
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(
                request,
                f"Envoi lancé : {sent} invitation(s) par courriel, avec le fichier d'agenda "
                "(.ics). La colonne « Invitation » des participants dit si chacune est partie.",
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
    acces_record(
        user=request.user,
        contrat=reunion.contrat,
        nature=Acces.Nature.EXPORT,
        objet=f"Agenda (ICS) – {reunion}",
        request=request,
    )
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
    acces_record(
        user=request.user,
        contrat=contrat,
        nature=Acces.Nature.EXPORT,
        objet="Agenda des réunions du contrat (ICS)",
        request=request,
    )
    return _contrat_feed(request, contrat, attachment=True)


@login_not_required
@require_GET
def flux_ics(request, jeton):
    """Flux d'agenda à jeton : sans session (un agenda ne se connecte pas). Jeton inconnu,
    révoqué, renouvelé, périmé, mot de passe changé ou contrat plus visible : 404."""
    enregistre = services.jeton_flux_authenticate(jeton=jeton)
    if enregistre is None:
        raise Http404("Adresse d'agenda inconnue.")
    contrat = get_object_or_404(
        Contrat.objects.visibles_par(enregistre.user).select_related("departement", "generation"),
        pk=enregistre.contrat_id,
    )
    response = _contrat_feed(request, contrat, attachment=False)
    response["Cache-Control"] = "private, max-age=900"
    return response

"""Pages « Journal des accès » d'un contrat et du niveau national, et leurs exports.

Minces : droits sur le modèle (`Acces.journal_lisible_par`), lectures par `selectors`.
Un contrat invisible répond 404 ; visible mais sans droit au journal, 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat
from pilotage.contrats.views import breadcrumb
from pilotage.core.ratelimit import exports_limited
from pilotage.core.spreadsheets import csv_bytes, xlsx_bytes

from . import selectors
from .forms import JournalFiltresForm
from .models import Acces
from .services import acces_record

REFUS = "Le journal des accès d'un contrat est réservé à ses pilotes et au niveau national."
REFUS_NATIONAL = "Le journal de tous les contrats est réservé au niveau national."

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _contrat_journal(request, pk) -> Contrat:
    contrat = permissions.get_contrat_for(request.user, pk)
    if not Acces.journal_lisible_par(request.user, contrat):
        raise PermissionDenied(REFUS)
    return contrat


def _national(request) -> None:
    if not Acces.journal_national_lisible_par(request.user):
        raise PermissionDenied(REFUS_NATIONAL)


def _filtered(request, contrat: Contrat | None):
    """Le formulaire de filtres et les accès retenus (aucun si un filtre est faux)."""
    if contrat is not None:
        form = JournalFiltresForm(
            request.GET or None, personnes=selectors.personnes_du_journal(contrat)
        )
        queryset = Acces.objects.du_contrat(contrat)
    else:
        form = JournalFiltresForm(request.GET or None, contrats=selectors.contrats_du_journal())
        queryset = Acces.objects.all()
    if form.is_bound:
        if not form.is_valid():
            return form, queryset.none()
        queryset = selectors.acces_filtres(queryset, form.cleaned_data)
    return form, queryset


def _page(request, contrat: Contrat | None):
    form, queryset = _filtered(request, contrat)
    context = {
        "title": f"Journal des accès – {contrat}" if contrat else "Journal des accès",
        "contrat": contrat,
        "filtres": form,
        "page_obj": selectors.acces_page(queryset, request.GET.get("page")),
        "retention": selectors.retention_days(),
        "breadcrumb_data": (
            breadcrumb(contrat, None, "Journal des accès")
            if contrat
            else {"links": [], "current": "Journal des accès"}
        ),
    }
    status = 400 if form.errors else 200
    return render(request, "journal/journal.html", context, status=status)


def _export(request, contrat: Contrat | None, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Format inconnu.")
    form, queryset = _filtered(request, contrat)
    if form.errors:
        message = "Les filtres ne sont pas valides : corrigez-les sur la page du journal."
        return render(request, "400.html", {"message": message}, status=400)
    rows = selectors.export_rows(queryset)
    headers = selectors.EXPORT_HEADERS
    data = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes("Journal", headers, rows)
    day = timezone.localdate().isoformat()
    scope = f"contrat-{contrat.departement.code}" if contrat else "national"
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="journal-acces-{scope}-{day}.{fmt}"'
    return response


@require_GET
def journal(request, pk):
    return _page(request, _contrat_journal(request, pk))


@require_GET
@exports_limited
def journal_export(request, pk, fmt):
    contrat = _contrat_journal(request, pk)
    response = _export(request, contrat, fmt)
    acces_record(
        user=request.user,
        contrat=contrat,
        nature=Acces.Nature.EXPORT,
        objet=f"Export {fmt.upper()} du journal des accès",
        request=request,
    )
    return response


@require_GET
def journal_national(request):
    _national(request)
    return _page(request, None)


@require_GET
@exports_limited
def journal_national_export(request, fmt):
    _national(request)
    return _export(request, None, fmt)

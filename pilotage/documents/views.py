"""Téléchargement des fiches actions aux formats Word, OpenDocument et PDF."""

import logging

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pilotage.contrats import permissions
from pilotage.core.formats import fiche_filename
from pilotage.core.ratelimit import exports_limited
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from .export import fiches_docx, fiches_odt, fiches_pdf, load_fiches

logger = logging.getLogger(__name__)

FORMATS = {
    "docx": (
        fiches_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": (fiches_odt, "application/vnd.oasis.opendocument.text"),
    "pdf": (fiches_pdf, "application/pdf"),
}


def _respond(request, contrat, fiches, fmt: str, filename: str, objet: str):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    build, content_type = FORMATS[fmt]
    try:
        data = build(fiches, contrat=contrat)
    except Exception:
        logger.exception("Export %s impossible pour %s", fmt, contrat)
        return render(
            request,
            "documents/export_erreur.html",
            {"title": "Export impossible", "contrat": contrat},
            status=500,
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    acces_record(
        user=request.user,
        contrat=contrat,
        nature=Acces.Nature.EXPORT,
        objet=f"Export {fmt.upper()} {objet}",
        request=request,
    )
    return response


@require_GET
@exports_limited
def fiche_export(request, pk, numero, fmt):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    contrat = fiche.contrat
    fiches = load_fiches(contrat, [fiche.numero])
    objectif = min((o.numero for o in fiches[0].objectifs.all() if o.numero is not None), default=0)
    # Le numéro de la fiche en tête (les fichiers se rangent dans l'ordre des fiches), puis
    # le numéro d'objectif et le nom de la fiche, comme le veut le modèle officiel.
    filename = fiche_filename(fiche.numero, f"objectif-{objectif}", fiche.titre)
    return _respond(request, contrat, fiches, fmt, filename, f"de la fiche {fiche.numero}")


@require_GET
@exports_limited
def contrat_export(request, pk, fmt):
    contrat = permissions.get_contrat_for(request.user, pk)
    filename = f"fiches-actions-{contrat.departement.code}-{contrat.generation.code}"
    return _respond(request, contrat, load_fiches(contrat), fmt, filename, "des fiches du contrat")

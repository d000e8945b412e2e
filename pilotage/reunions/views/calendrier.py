"""Vue calendaire d'une fiche (onglet « Calendrier ») et son export PDF.

Voir la fiche suffit pour voir son calendrier ; une fiche d'un contrat invisible
répond 404, comme la fiche.
"""

import logging
from functools import partial

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from pilotage.contrats import permissions
from pilotage.contrats.views import breadcrumb
from pilotage.core.formats import fiche_filename, truncate_for_export
from pilotage.core.pdf import html_to_pdf
from pilotage.core.ratelimit import exports_limited
from pilotage.core.templatetags.pilotage import texte_structure
from pilotage.documents.export.content import BANNER
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from ..calendrier import Grille, Line
from ..calendrier import fiche_calendrier as build_grille
from ..calendrier.rendu import lignes, rangees

logger = logging.getLogger(__name__)


#: Rubriques fixes de la fiche rappelées en tête (proposition 4), repliables sur la page.
RUBRIQUES = [
    ("constat", "Constat du diagnostic"),
    ("objectif_operationnel", "Objectif opérationnel"),
    ("description", "Description de l'action"),
]


def _with_lines(grille: Grille) -> Grille:
    """Donne à chaque cellule `lignes`, sa liste rendue (`rendu.lignes`) à la demande,
    une fois par contenu distinct : d'une réunion à l'autre, une rubrique sans changement
    montre la même liste (« État à ce moment »)."""
    rendered: dict[tuple, str] = {}

    def render_lines(lines: list[Line]) -> str:
        key = tuple(
            (line.text, line.status, line.old, tuple((d.text, d.new) for d in line.details))
            for line in lines
        )
        if key not in rendered:
            rendered[key] = lignes(lines)
        return rendered[key]

    for row in grille.rows:
        for cell in row.cells:
            cell.lignes = partial(render_lines, cell.lines)
    return grille


def _context(request, pk, numero) -> dict:
    fiche = permissions.get_fiche_for(request.user, pk, numero, avec_retard=True)
    contrat = fiche.contrat
    grille = _with_lines(build_grille(fiche, viewer=request.user))
    return {
        "title": f"Calendrier de la fiche action n°{fiche.numero_affiche}",
        "contrat": contrat,
        "fiche": fiche,
        "grille": grille,
        # Rangées du tableau (calendrier_corps.html), rendues à la demande : page ou PDF.
        "rangees": {
            "page": partial(rangees, grille, pdf=False, contrat_pk=contrat.pk),
            "pdf": partial(rangees, grille, pdf=True, contrat_pk=contrat.pk),
        },
        "banniere": BANNER.format(generation=contrat.generation.code),
        "departement": fiche.departement_libelle or contrat.departement.nom,
        "rubriques": [
            {
                "id": f"rubrique-{name}",
                "title": title,
                "content": texte_structure(truncate_for_export(getattr(fiche, name)))
                or "Non renseigné",
            }
            for name, title in RUBRIQUES
        ],
    }


@require_GET
def fiche_calendrier(request, pk, numero):
    context = _context(request, pk, numero)
    fiche = context["fiche"]
    context.update(
        {
            "onglet": "calendrier",
            "peut_modifier": permissions.can_edit_fiche(request.user, fiche),
            "breadcrumb_data": breadcrumb(fiche.contrat, fiche, "Calendrier"),
        }
    )
    return render(request, "reunions/fiche_calendrier.html", context)


def calendrier_pdf(context: dict) -> bytes:
    """Le calendrier de la fiche en PDF balisé (PDF/UA-1), A4 paysage."""
    html = render_to_string("reunions/fiche_calendrier_pdf.html", context)
    return html_to_pdf(html)


@require_GET
@exports_limited
def fiche_calendrier_pdf(request, pk, numero):
    context = _context(request, pk, numero)
    fiche = context["fiche"]
    try:
        data = calendrier_pdf(context)
    except Exception:
        logger.exception("Export PDF du calendrier impossible pour %s", fiche)
        return render(
            request,
            "documents/export_erreur.html",
            {"title": "Export impossible", "contrat": fiche.contrat},
            status=500,
        )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{fiche_filename(fiche.numero, 'calendrier', fiche.titre)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    acces_record(
        user=request.user,
        contrat=fiche.contrat,
        nature=Acces.Nature.EXPORT,
        objet=f"Export PDF du calendrier de la fiche {fiche.numero}",
        request=request,
    )
    return response

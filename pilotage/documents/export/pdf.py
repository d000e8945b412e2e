"""Export PDF accessible (PDF/UA : balisé, langue, titre) rendu par WeasyPrint."""

from django.template.loader import render_to_string

from pilotage.contrats.models import Contrat
from pilotage.core.pdf import html_to_pdf

from .content import BANNER, document_title, fiche_content


def fiches_pdf(fiches, *, contrat: Contrat) -> bytes:
    """Un PDF balisé (PDF/UA-1) contenant les fiches, une par page."""
    html = render_to_string(
        "documents/fiches_pdf.html",
        {
            "title": document_title(fiches, contrat=contrat),
            "banniere": BANNER.format(generation=contrat.generation.code),
            "fiches": [fiche_content(f, contrat=contrat) for f in fiches],
        },
    )
    return html_to_pdf(html)

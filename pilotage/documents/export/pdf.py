"""Export PDF accessible (PDF/UA : balisé, langue, titre) rendu par WeasyPrint."""

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from pilotage.contrats.models import Contrat

from .content import BANNER, document_title, fiche_content

# Aucune ressource extérieure : styles en ligne, images éventuelles en « data: ».
_FETCHER = URLFetcher(allowed_protocols={"data"})


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
    return HTML(string=html, url_fetcher=_FETCHER).write_pdf(pdf_variant="pdf/ua-1")

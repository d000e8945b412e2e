"""Dossier de préparation et compte rendu en PDF balisé (PDF/UA-1) par WeasyPrint,
dans l'allure des fiches exportées (bandeau de la contractualisation, tableaux bordés)."""

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from .content import CompteRenduContent, DossierContent

# Aucune ressource extérieure : styles en ligne, images éventuelles en « data: ».
_FETCHER = URLFetcher(allowed_protocols={"data"})


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_FETCHER).write_pdf(pdf_variant="pdf/ua-1")


def dossier_pdf(content: DossierContent) -> bytes:
    return _pdf("reunions/dossier_pdf.html", {"title": content.titre, "dossier": content})


def compte_rendu_pdf(content: CompteRenduContent) -> bytes:
    return _pdf("reunions/compte_rendu_pdf.html", {"title": content.titre, "cr": content})

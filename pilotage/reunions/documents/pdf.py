"""Dossier de préparation et compte rendu en PDF balisé (PDF/UA-1) par WeasyPrint,
dans l'allure des fiches exportées (bandeau de la contractualisation, tableaux bordés)."""

from django.template.loader import render_to_string

from pilotage.core.pdf import html_to_pdf

from .content import CompteRenduContent, DossierContent


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return html_to_pdf(html)


def dossier_pdf(content: DossierContent) -> bytes:
    return _pdf("reunions/dossier_pdf.html", {"title": content.titre, "dossier": content})


def compte_rendu_pdf(content: CompteRenduContent) -> bytes:
    return _pdf("reunions/compte_rendu_pdf.html", {"title": content.titre, "cr": content})

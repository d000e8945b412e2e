"""Rapport d'exécution en Word (python-docx), dans l'ordre du rapport publié (`plan`) :
en-tête, récapitulatif synthétique, puis par engagement et objectif les sections des
fiches (descriptif, dates, partenaires, durée, budget, indicateurs, redéploiements, bilan,
perspectives), enfin les incohérences à vérifier. Titres aux styles « Heading » (plan
du document, navigation, accessibilité)."""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..content import RapportContent
from ..formats import register
from . import plan


def _document(title: str) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(lang)
    document.core_properties.title = title
    document.core_properties.author = "Pilotage partagé"
    document.core_properties.language = "fr-FR"
    return document


def _bullet(document, text: str) -> None:
    document.add_paragraph(text, style="List Bullet")


def _tableau(document, tableau: plan.Tableau) -> None:
    table = document.add_table(rows=1, cols=len(tableau.entetes))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, tableau.entetes, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    for ligne in tableau.lignes:
        for cell, text in zip(table.add_row().cells, ligne, strict=True):
            cell.text = text


def _rubrique(document, rubrique: plan.Rubrique) -> None:
    document.add_paragraph().add_run(rubrique.intitule).bold = True
    if rubrique.tableau:
        _tableau(document, rubrique.tableau)
    for bloc in rubrique.blocs:
        document.add_paragraph(bloc.texte, style="List Bullet" if bloc.puce else None)


def _entete(document, content: RapportContent) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in plan.entete(content):
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _recapitulatif(document, content: RapportContent) -> None:
    document.add_heading(plan.RECAPITULATIF, level=1)
    for line in plan.recapitulatif(content):
        _bullet(document, line)
    for raison in content.recapitulatif.raisons:
        paragraph = document.add_paragraph()
        paragraph.add_run(plan.raison_intitule(raison)).bold = True
        paragraph.add_run(plan.raison_texte(raison))
        for etape in raison.etapes:
            _bullet(document, etape)


def _sections(document, content: RapportContent) -> None:
    annee = content.entete.annee
    for engagement in content.engagements:
        if engagement.libelle:
            document.add_heading(engagement.libelle, level=1)
        for objectif in engagement.objectifs:
            document.add_heading(plan.objectif_titre(objectif), level=2)
            for line in plan.objectif_lignes(objectif):
                document.add_paragraph(line)
            for numero in objectif.fiches:
                fiche = content.fiche(numero)
                document.add_heading(plan.fiche_titre(fiche), level=3)
                document.add_paragraph(plan.fiche_etat(fiche))
                for rubrique in plan.fiche_rubriques(fiche, annee):
                    _rubrique(document, rubrique)


def _incoherences(document, content: RapportContent) -> None:
    document.add_heading(plan.INCOHERENCES, level=1)
    lines = plan.incoherences(content)
    if not lines:
        document.add_paragraph(plan.AUCUNE_INCOHERENCE)
    for line in lines:
        _bullet(document, line)


def _annexe(document, content: RapportContent) -> None:
    document.add_heading(plan.ANNEXE, level=1)
    tableaux = plan.annexe(content)
    if not tableaux:
        document.add_paragraph(plan.AUCUN_FINANCEMENT)
    for tableau in tableaux:
        document.add_paragraph().add_run(tableau.legende).bold = True
        _tableau(document, tableau)


@register("docx")
def export_docx(content: RapportContent) -> bytes:
    title = plan.titre(content)
    document = _document(title)
    document.add_heading(title, level=0)
    _entete(document, content)
    _recapitulatif(document, content)
    _sections(document, content)
    _annexe(document, content)
    _incoherences(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

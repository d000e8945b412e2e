"""Rapport d'exécution en Word : le modèle `word_templates/rapport_execution.docx` rempli
par docxtpl (titre, tableau d'en-tête, puis le corps), restylable par l'opérateur (styles
« Title », « Heading 1 » à « Heading 3 », « Normal », « List Bullet », « Table Grid »,
marges, bandeau) ; le réglage `RAPPORT_WORD_TEMPLATE` désigne un autre modèle. Le corps,
dans l'ordre du rapport publié (`plan`) : récapitulatif synthétique, puis par engagement
et objectif les sections des fiches (descriptif, dates, partenaires, durée, budget,
indicateurs, redéploiements, bilan, perspectives), l'annexe financière et les
incohérences à vérifier, écrit par python-docx avec les styles du modèle puis posé à la
place de `{{p corps }}` (comme un sous-document docxtpl, sans dépendance de plus)."""

import io
import re
from pathlib import Path

from django.conf import settings
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from ..content import RapportContent
from ..formats import register
from . import plan

#: Le modèle d'origine (régénéré par `word_templates/build_template.py`).
TEMPLATE = Path(__file__).resolve().parent.parent / "word_templates" / "rapport_execution.docx"


def template_path() -> Path:
    """Le modèle Word en usage : `settings.RAPPORT_WORD_TEMPLATE` s'il est réglé."""
    return Path(getattr(settings, "RAPPORT_WORD_TEMPLATE", None) or TEMPLATE)


class _Corps:
    """Un document python-docx dont les styles sont ceux du modèle (même partie
    « document ») ; rendu dans le gabarit, il devient le XML de son corps."""

    def __init__(self, template: DocxTemplate):
        self.document = Document()
        self.document._part = template.get_docx().part
        self._ids: dict[str, str] = {}

    def __getattr__(self, name):
        return getattr(self.document, name)

    def _style_id(self, name: str) -> str:
        # Chercher un style par son nom parcourt tous les styles : une fois par nom, pas
        # à chaque paragraphe (la moitié du temps du Word d'un contrat de 40 fiches).
        if name not in self._ids:
            self._ids[name] = self.document.styles[name].style_id
        return self._ids[name]

    def add_paragraph(self, text: str = "", style: str | None = None):
        paragraph = self.document.add_paragraph(text)
        if style:
            paragraph._p.style = self._style_id(style)
        return paragraph

    def add_heading(self, text: str, level: int):
        return self.add_paragraph(text, f"Heading {level}" if level else "Title")

    def add_table(self, rows: int, cols: int):
        table = self.document.add_table(rows=rows, cols=cols)
        table._tbl.tblStyle_val = self._style_id("Table Grid")
        return table

    def __html__(self) -> str:
        body = self.document.element.body
        if body.sectPr is not None:
            body.remove(body.sectPr)
        return re.sub(r"</?w:body[^>]*>", "", etree.tostring(body, encoding="unicode"))


def _bullet(document, text: str) -> None:
    document.add_paragraph(text, style="List Bullet")


def _tableau(document, tableau: plan.Tableau) -> None:
    table = document.add_table(rows=1 + len(tableau.lignes), cols=len(tableau.entetes))
    rows = table.rows
    for cell, heading in zip(rows[0].cells, tableau.entetes, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    for row, ligne in zip(rows[1:], tableau.lignes, strict=True):
        for cell, text in zip(row.cells, ligne, strict=True):
            cell.text = text


def _rubrique(document, rubrique: plan.Rubrique) -> None:
    document.add_paragraph().add_run(rubrique.intitule).bold = True
    if rubrique.tableau:
        _tableau(document, rubrique.tableau)
    for bloc in rubrique.blocs:
        document.add_paragraph(bloc.texte, style="List Bullet" if bloc.puce else None)


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
    template = DocxTemplate(template_path())
    corps = _Corps(template)
    _recapitulatif(corps, content)
    _sections(corps, content)
    _annexe(corps, content)
    _incoherences(corps, content)
    template.render(
        {"titre": title, "entete": plan.entete(content), "corps": corps}, autoescape=True
    )
    template.core_properties.title = title
    template.core_properties.author = "Pilotage partagé"
    template.core_properties.language = "fr-FR"
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()

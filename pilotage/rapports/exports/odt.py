"""Rapport d'exécution en OpenDocument texte (odfdo) : le même plan que le Word (`plan`),
titres de niveaux 1 à 4 (plan du document, navigation, accessibilité), rangée d'en-tête
des tableaux marquée comme telle (répétée en haut de page, lue par les lecteurs d'écran)."""

import io

from odfdo import Cell, Document, Element, Header, List, Paragraph, Row, Style, Table

from ..content import RapportContent
from ..formats import register
from . import plan


def _styles(document: Document) -> None:
    document.insert_style(
        Style("paragraph", name="Libelle", area="text", bold=True), automatic=True
    )
    document.insert_style(
        Style("paragraph", name="EnteteTableau", area="text", bold=True), automatic=True
    )


class _Writer:
    def __init__(self, document: Document):
        self.body = document.body
        self.tables = 0

    def heading(self, level: int, text: str) -> None:
        self.body.append(Header(level, text))

    def paragraph(self, text: str, style: str | None = None) -> None:
        self.body.append(Paragraph(text, style=style))

    def bullets(self, items: list[str]) -> None:
        if items:
            self.body.append(List(list(items)))

    def groupes(self, rubrique: plan.Rubrique) -> None:
        for kind, items in rubrique.groupes:
            if kind == "ul":
                self.bullets(items)
            else:
                for item in items:
                    self.paragraph(item)

    def table(self, rows: list[list[str]], *, headers: list[str] | None = None) -> None:
        """Un tableau ; `headers` en rangée d'en-tête, sinon la 1re colonne en gras."""
        self.tables += 1
        width = len(headers or rows[0])
        table = Table(f"Tableau{self.tables}")
        table.append(
            Element.from_tag(f'<table:table-column table:number-columns-repeated="{width}"/>')
        )
        if headers:
            header_rows = Element.from_tag("<table:table-header-rows/>")
            header_rows.append(self._row(headers, bold=range(width)))
            table.append(header_rows)
        for values in rows:
            # Ajout direct du XML : `append_row` recopie la rangée sans ses paragraphes.
            table.append(self._row(values, bold=range(0 if headers else 1)))
        self.body.append(table)

    @staticmethod
    def _row(values: list[str], *, bold) -> Row:
        row = Row()
        for index, text in enumerate(values):
            cell = Cell()
            cell.append(Paragraph(text, style="EnteteTableau" if index in bold else None))
            row.append(cell)
        return row


def _recapitulatif(writer: _Writer, content: RapportContent) -> None:
    writer.heading(2, plan.RECAPITULATIF)
    writer.bullets(plan.recapitulatif(content))
    for raison in content.recapitulatif.raisons:
        writer.paragraph(plan.raison_intitule(raison) + plan.raison_texte(raison))
        writer.bullets(raison.etapes)


def _sections(writer: _Writer, content: RapportContent) -> None:
    annee = content.entete.annee
    for engagement in content.engagements:
        if engagement.libelle:
            writer.heading(2, engagement.libelle)
        for objectif in engagement.objectifs:
            writer.heading(3, plan.objectif_titre(objectif))
            for line in plan.objectif_lignes(objectif):
                writer.paragraph(line)
            for numero in objectif.fiches:
                fiche = content.fiche(numero)
                writer.heading(4, plan.fiche_titre(fiche))
                writer.paragraph(plan.fiche_etat(fiche))
                for rubrique in plan.fiche_rubriques(fiche, annee):
                    writer.paragraph(rubrique.intitule, style="Libelle")
                    if rubrique.tableau:
                        tableau = rubrique.tableau
                        writer.table(tableau.lignes, headers=tableau.entetes)
                    writer.groupes(rubrique)


@register("odt")
def export_odt(content: RapportContent) -> bytes:
    document = Document("text")
    document.body.clear()
    _styles(document)
    title = plan.titre(content)
    document.meta.title = title
    document.meta.language = "fr-FR"
    writer = _Writer(document)
    writer.heading(1, title)
    writer.table([list(line) for line in plan.entete(content)])
    _recapitulatif(writer, content)
    _sections(writer, content)
    writer.heading(2, plan.ANNEXE)
    tableaux = plan.annexe(content)
    if not tableaux:
        writer.paragraph(plan.AUCUN_FINANCEMENT)
    for tableau in tableaux:
        writer.paragraph(tableau.legende, style="Libelle")
        writer.table(tableau.lignes, headers=tableau.entetes)
    writer.heading(2, plan.INCOHERENCES)
    writer.bullets(plan.incoherences(content))
    if not content.incoherences:
        writer.paragraph(plan.AUCUNE_INCOHERENCE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

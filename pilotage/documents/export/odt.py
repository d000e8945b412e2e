"""Export OpenDocument (.odt) : même contenu et même ordre que l'export Word."""

import io

from odfdo import Cell, Document, Element, List, Paragraph, Row, Style, Table

from pilotage.contrats.models import Contrat

from .content import BANNER, document_title, fiche_content


def _styles(document: Document) -> None:
    document.insert_style(
        Style("paragraph", name="Entete", area="text", bold=True, size="12pt"),
        automatic=True,
    )
    document.insert_style(
        Style("paragraph", name="Libelle", area="text", bold=True),
        automatic=True,
    )
    document.insert_style(
        Element.from_tag(
            '<style:style style:name="SautDePage" style:family="paragraph">'
            '<style:paragraph-properties fo:break-before="page"/></style:style>'
        ),
        automatic=True,
    )


def _cell_with(blocks) -> Cell:
    cell = Cell()
    pending: list[str] = []

    def flush():
        if pending:
            cell.append(List(list(pending)))
            pending.clear()

    for block in blocks:
        if block.bullet:
            pending.append(block.text)
        else:
            flush()
            cell.append(Paragraph(block.text))
    flush()
    return cell


def fiches_odt(fiches, *, contrat: Contrat) -> bytes:
    """Un document OpenDocument contenant les fiches, une par page."""
    document = Document("text")
    document.body.clear()
    _styles(document)
    document.meta.title = document_title(fiches, contrat=contrat)
    document.meta.language = "fr-FR"
    body = document.body
    for index, fiche in enumerate(fiches):
        content = fiche_content(fiche, contrat=contrat)
        banner = BANNER.format(generation=contrat.generation.code)
        body.append(Paragraph(banner, style="SautDePage" if index else None))
        for line in (content.entete, content.fiche_line, content.titre):
            body.append(Paragraph(line, style="Entete"))
        table = Table(f"Fiche{content.numero}")
        table.append(Element.from_tag('<table:table-column table:number-columns-repeated="2"/>'))
        for row in content.rows:
            label = Cell()
            label.append(Paragraph(row.label, style="Libelle"))
            line = Row()
            line.append(label)
            line.append(_cell_with(row.blocks))
            # Ajout direct du XML : `append_row` recopie la rangée sans ses paragraphes.
            table.append(line)
        body.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

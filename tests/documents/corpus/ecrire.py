"""Document neutre du corpus (paragraphes, titres, listes, tableaux, sauts de page, en-têtes
et pieds de page) et ses deux écritures : Word (python-docx) et OpenDocument (odfdo).

Les deux formats reçoivent exactement le même contenu : une différence de score entre
.docx et .odt vient de la lecture, pas du corpus.
"""

import contextlib
import io
from dataclasses import dataclass, field

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


@dataclass
class P:
    """Paragraphe ; style : normal, h1, h2, h3, bullet (liste à puces), number (numérotée)."""

    text: str
    style: str = "normal"
    bold: bool = False


@dataclass
class Cell:
    content: list = field(default_factory=list)  # P et T
    span: int = 1
    shaded: bool = False


@dataclass
class T:
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((sum(c.span for c in row) for row in self.rows), default=1)


@dataclass
class Break:
    """Saut de page."""


@dataclass
class Doc:
    body: list = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # en-tête de page courant
    footer: list[str] = field(default_factory=list)


# -- Word ----------------------------------------------------------------------------------

_DOCX_STYLES = {
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "bullet": "List Bullet",
    "number": "List Number",
}


def _docx_paragraph(paragraph, item: P) -> None:
    if item.style in _DOCX_STYLES:
        paragraph.style = _DOCX_STYLES[item.style]
    run = paragraph.add_run(item.text)
    run.bold = item.bold or None


def _docx_shade(cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shd)


def _docx_content(container, content: list, *, first=None) -> None:
    for item in content:
        if isinstance(item, P):
            paragraph = first if first is not None else container.add_paragraph()
            first = None
            _docx_paragraph(paragraph, item)
        elif isinstance(item, T):
            _docx_table(container, item)
        elif isinstance(item, Break):
            container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _docx_table(container, spec: T) -> None:
    table = container.add_table(rows=len(spec.rows), cols=spec.width)
    with contextlib.suppress(KeyError, ValueError):  # style absent du modèle : tableau nu
        table.style = "Table Grid"
    for r, row in enumerate(spec.rows):
        column = 0
        for cell_spec in row:
            cell = table.cell(r, column)
            if cell_spec.span > 1:
                cell = cell.merge(table.cell(r, column + cell_spec.span - 1))
            if cell_spec.shaded:
                _docx_shade(cell)
            _docx_content(cell, cell_spec.content, first=cell.paragraphs[0])
            column += cell_spec.span


def write_docx(doc: Doc) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    for text in doc.header:
        section.header.add_paragraph(text)
    for text in doc.footer:
        section.footer.add_paragraph(text)
    _docx_content(document, doc.body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- OpenDocument --------------------------------------------------------------------------


def _odt_content(container, content: list, styles: dict) -> None:
    from odfdo import Header, List, ListItem, Paragraph

    current_list = None
    for item in content:
        if isinstance(item, P) and item.style in ("bullet", "number"):
            if current_list is None:
                current_list = List(style=styles["number"] if item.style == "number" else None)
                container.append(current_list)
            current_list.append(ListItem(item.text))
            continue
        current_list = None
        if isinstance(item, P):
            if item.style in ("h1", "h2", "h3"):
                container.append(Header(int(item.style[1]), item.text))
            else:
                container.append(Paragraph(item.text, style=styles["bold"] if item.bold else None))
        elif isinstance(item, T):
            container.append(_odt_table(item, styles))
        elif isinstance(item, Break):
            container.append(Paragraph("", style=styles["break"]))


def _odt_table(spec: T, styles: dict):
    from odfdo import Cell as OdtCell
    from odfdo import Row, Table

    table = Table(f"Tableau{next(styles['counter'])}", width=spec.width, height=0)
    spans = []
    for r, row_spec in enumerate(spec.rows):
        row = Row()
        column = 0
        for cell_spec in row_spec:
            cell = OdtCell(style=styles["shaded"] if cell_spec.shaded else None)
            cell.clear()
            _odt_content(cell, cell_spec.content, styles)
            row.append(cell)
            for _ in range(cell_spec.span - 1):
                row.append(OdtCell())
            if cell_spec.span > 1:
                spans.append((column, r, column + cell_spec.span - 1, r))
            column += cell_spec.span
        for _ in range(spec.width - column):
            row.append(OdtCell())
        table.append(row)
    for area in spans:
        table.set_span(area, merge=False)
    return table


def write_odt(doc: Doc) -> bytes:
    import itertools

    from odfdo import Document, Paragraph, Style

    document = Document("text")
    body = document.body
    body.clear()
    bold = Style("paragraph", name="CorpusGras", bold=True)
    document.insert_style(bold, automatic=True)
    shaded = Style("table-cell", name="CorpusGrise", background_color="#D9D9D9")
    document.insert_style(shaded, automatic=True)
    page_break = Style("paragraph", name="CorpusSaut", break_before="page")
    document.insert_style(page_break, automatic=True)
    numbered = Style("list", name="CorpusNumeros")  # sans niveau défini : liste simple
    document.insert_style(numbered, automatic=True)
    styles = {
        "bold": "CorpusGras",
        "shaded": "CorpusGrise",
        "break": "CorpusSaut",
        "number": "CorpusNumeros",
        "counter": itertools.count(1),
    }
    master = document.get_style("master-page", "Standard")
    if master is not None:
        if doc.header:
            master.set_page_header([Paragraph(text) for text in doc.header])
        if doc.footer:
            master.set_page_footer([Paragraph(text) for text in doc.footer])
    _odt_content(body, doc.body, styles)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

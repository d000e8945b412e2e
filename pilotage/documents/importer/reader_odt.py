"""Lecture d'un document OpenDocument (.odt) en blocs neutres, avec odfdo.

Même structure que pour Word : paragraphes et titres, éléments de listes (`text:list`),
tableaux (`table:table`) dont les cellules couvertes par une fusion sont vides et les
tableaux imbriqués aplatis ; sections traversées ; annotations, notes et
modifications suivies ignorées.
"""

import io
import zipfile
import zlib

from lxml import etree
from odfdo import Document

from . import errors
from .blocks import Block, Paragraph, Table, flatten_table, make_paragraphs
from .errors import ImportErreur

_PARAGRAPHS = {"text:p", "text:h"}
_TRANSPARENT = {"text:section", "text:index-body", "text:soft-page-break-container"}
_ROW_GROUPS = {"table:table-header-rows", "table:table-rows", "table:table-row-group"}
_IGNORED_INLINE = {
    "office:annotation",
    "office:annotation-end",
    "text:note",
    "text:tracked-changes",
    "text:soft-page-break",
}
_MAX_SPACES = 100


def read_odt(data: bytes) -> list[Block]:
    """Blocs du corps du document, dans l'ordre de lecture."""
    try:
        document = Document(io.BytesIO(data))
        body = document.body
    except (
        KeyError,
        ValueError,
        TypeError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
    ) as exc:
        raise ImportErreur(errors.UNREADABLE) from exc
    return list(_blocks(body, in_list=False))


def _blocks(container, *, in_list: bool):
    for child in container.children:
        tag = child.tag
        if tag in _PARAGRAPHS:
            yield from make_paragraphs(paragraph_text(child), in_list)
        elif tag == "text:list":
            for item in child.children:
                if item.tag in ("text:list-item", "text:list-header"):
                    yield from _blocks(item, in_list=item.tag == "text:list-item")
        elif tag == "table:table":
            yield _table(child)
        elif tag in _TRANSPARENT:
            yield from _blocks(child, in_list=in_list)


def paragraph_text(element) -> str:
    """Texte d'un paragraphe ODF : espaces multiples (`text:s`), tabulations, sauts de ligne."""
    parts = [element.text or ""]
    for child in element.children:
        tag = child.tag
        if tag == "text:s":
            count = child.get_attribute_integer("text:c") or 1
            parts.append(" " * max(1, min(count, _MAX_SPACES)))
        elif tag == "text:tab":
            parts.append("\t")
        elif tag == "text:line-break":
            parts.append("\n")
        elif tag not in _IGNORED_INLINE:
            parts.append(paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _rows(table):
    for child in table.children:
        if child.tag == "table:table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _table(table) -> Table:
    rows = []
    for row in _rows(table):
        cells: list[list[Paragraph]] = []
        for cell in row.children:
            if cell.tag == "table:covered-table-cell":
                cells.append([])  # couverte par une fusion : déjà lue
            elif cell.tag == "table:table-cell":
                cells.append(_cell(cell))
        if any(cells):
            rows.append(cells)
    return Table(rows)


def _cell(cell) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for block in _blocks(cell, in_list=False):
        if isinstance(block, Table):
            paragraphs.extend(flatten_table(block))
        else:
            paragraphs.append(block)
    return paragraphs

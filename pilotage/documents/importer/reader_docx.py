"""Lecture d'un document Word (.docx) en blocs neutres (`blocks.Paragraph`, `blocks.Table`).

Le XML est parcouru directement (python-docx ne sert qu'à ouvrir le paquet, avec son
analyseur sans résolution d'entités) : une cellule fusionnée horizontalement n'apparaît
qu'une fois, la suite d'une fusion verticale est une cellule vide, un tableau imbriqué
est aplati dans sa cellule, les contrôles de contenu (`w:sdt`) sont traversés, le texte
supprimé en mode révision et les contenus de repli (`mc:Fallback`) sont ignorés.
"""

import io
import re
import zipfile
import zlib

import docx
from docx.opc.exceptions import OpcError
from lxml import etree

from . import errors
from .blocks import Block, Paragraph, Table, flatten_table, make_paragraphs
from .errors import ImportErreur

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
_SKIPPED = {MC_FALLBACK, W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "instrText"}
_LIST_STYLE_NAME = re.compile(r"bullet|puce|list\s*number|liste\s*num|^listes?\s*\d*$", re.I)


def read_docx(data: bytes) -> list[Block]:
    """Blocs du corps du document, dans l'ordre de lecture."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (
        KeyError,
        ValueError,
        OpcError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
    ) as exc:
        raise ImportErreur(errors.UNREADABLE) from exc
    body = document.element.find(W + "body")
    if body is None:  # élément racine qui n'est pas un document Word
        raise ImportErreur(errors.UNREADABLE)
    return list(_blocks(body, _ListDetector(document)))


def _val(element) -> str | None:
    return None if element is None else element.get(W + "val")


class _ListDetector:
    """Un paragraphe est un élément de liste s'il porte une numérotation Word (`w:numPr`),
    directement ou par son style (et les styles dont il hérite), ou si son style est un
    style de liste (« List Bullet », « Liste à puces »…)."""

    def __init__(self, document):
        self._styles: dict[str, tuple[bool, str | None]] = {}
        try:
            root = document.styles.element
        except (KeyError, ValueError, OpcError):
            return
        for style in root.findall(W + "style"):
            style_id = style.get(W + "styleId")
            if not style_id:
                continue
            name = _val(style.find(W + "name")) or ""
            numbered = _numbered(style.find(W + "pPr"))
            listed = numbered or bool(_LIST_STYLE_NAME.search(name))
            self._styles[style_id] = (listed, _val(style.find(W + "basedOn")))

    def is_list(self, paragraph) -> bool:
        ppr = paragraph.find(W + "pPr")
        if ppr is None:
            return False
        num_pr = ppr.find(W + "numPr")
        if num_pr is not None:
            return _val(num_pr.find(W + "numId")) != "0"
        style_id = _val(ppr.find(W + "pStyle"))
        for _ in range(10):  # chaîne d'héritage bornée
            if style_id is None or style_id not in self._styles:
                return False
            listed, style_id = self._styles[style_id]
            if listed:
                return True
        return False


def _numbered(ppr) -> bool:
    if ppr is None:
        return False
    num_pr = ppr.find(W + "numPr")
    return num_pr is not None and _val(num_pr.find(W + "numId")) != "0"


def _children(element, tag: str):
    """Enfants `tag` d'un élément, en traversant contrôles de contenu et balises XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(container, lists: _ListDetector):
    for child in container:
        if child.tag == W + "p":
            yield from make_paragraphs(paragraph_text(child), lists.is_list(child))
        elif child.tag == W + "tbl":
            yield _table(child, lists)
        elif child.tag in _WRAPPERS:
            yield from _blocks(child, lists)


def paragraph_text(element) -> str:
    """Texte d'un paragraphe Word : tabulations et sauts de ligne conservés."""
    parts: list[str] = []

    def walk(node):
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "p":  # zone de texte dans le paragraphe
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _table(tbl, lists: _ListDetector) -> Table:
    rows = []
    for tr in _children(tbl, W + "tr"):
        cells = []
        for tc in _children(tr, W + "tc"):
            tc_pr = tc.find(W + "tcPr")
            if tc_pr is not None:
                v_merge = tc_pr.find(W + "vMerge")
                if v_merge is not None and _val(v_merge) in (None, "continue"):
                    cells.append([])  # suite d'une fusion verticale : déjà lue au-dessus
                    continue
                if _val(tc_pr.find(W + "hMerge")) == "continue":
                    continue
            cells.append(_cell(tc, lists))
        rows.append(cells)
    return Table(rows)


def _cell(tc, lists: _ListDetector) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for block in _blocks(tc, lists):
        if isinstance(block, Table):
            paragraphs.extend(flatten_table(block))
        else:
            paragraphs.append(block)
    return paragraphs

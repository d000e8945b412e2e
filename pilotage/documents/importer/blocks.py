"""Structure neutre d'un document, commune aux lecteurs Word et OpenDocument.

Un document est une liste de blocs : des paragraphes (`Paragraph`, éventuellement
élément de liste) et des tableaux (`Table` : des lignes de cellules, chaque cellule
étant une liste de paragraphes). Les lecteurs (`reader_docx`, `reader_odt`) produisent
cette structure ; l'analyseur (`parser`) ne connaît qu'elle.
"""

import re
from dataclasses import dataclass, field

# Caractères de puce tapés à la main (ou hérités d'un copier-coller depuis Word : U+F0B7).
BULLET_CHARS = "•·○◦▪▫■□●◆◇►▸‣⁃\uf0b7\uf0a7\uf076\uf0d8"
_DASH_BULLET = re.compile(r"^[-–—*]\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@dataclass(frozen=True)
class Paragraph:
    """Un paragraphe de texte brut ; `is_list_item` s'il est un élément de liste à puces.

    Un paragraphe tiré d'un tableau imbriqué dans une cellule garde la forme de ce tableau :
    `row`, le rang de sa rangée (un rang qui redescend ouvre un autre tableau), et `cells`,
    le texte de chaque cellule de cette rangée, cellules vides comprises pour garder les
    colonnes (voir `flatten_table`).
    """

    text: str
    is_list_item: bool = False
    cells: tuple[str, ...] = ()
    row: int | None = None


@dataclass
class Table:
    """Un tableau : `rows[i][j]` est la liste des paragraphes de la cellule j de la ligne i."""

    rows: list[list[list[Paragraph]]] = field(default_factory=list)


Block = Paragraph | Table


def clean_text(text: str) -> str:
    """Espaces normalisés (tabulations, insécables) et caractères invisibles retirés."""
    text = (text or "").translate(_INVISIBLE)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def make_paragraphs(text: str, is_list_item: bool = False) -> list[Paragraph]:
    """Découpe un texte lu en paragraphes neutres.

    Un saut de ligne forcé sépare deux paragraphes ; une puce tapée en tête de ligne
    (« • », « - », « · », « ○ »…) fait de la ligne un élément de liste ; une suite de
    puces « • » dans une même ligne (texte collé depuis un PDF) donne plusieurs éléments.
    """
    result: list[Paragraph] = []
    for raw_line in (text or "").split("\n"):
        line = clean_text(raw_line)
        if not line:
            continue
        pieces = re.split(r"\s*[•\uf0b7]\s*", line)
        if len(pieces) > 1 and line.count("•") + line.count("\uf0b7") >= 2:
            lead, items = pieces[0], pieces[1:]
            if lead:
                result.append(Paragraph(lead, is_list_item))
            result.extend(Paragraph(item, True) for item in items if item)
            continue
        result.append(_single(line, is_list_item))
    return result


def _single(line: str, is_list_item: bool) -> Paragraph:
    if line[0] in BULLET_CHARS:
        stripped = line[1:].strip()
        return Paragraph(stripped, True) if stripped else Paragraph("", is_list_item)
    dash = _DASH_BULLET.match(line)
    if dash:
        return Paragraph(line[dash.end() :], True)
    return Paragraph(line, is_list_item)


def cell_text(paragraphs: list[Paragraph]) -> str:
    """Texte d'une cellule sur une ligne (paragraphes séparés par une espace)."""
    return " ".join(p.text for p in paragraphs if p.text)


def flatten_table(table: Table) -> list[Paragraph]:
    """Paragraphes d'un tableau imbriqué dans une cellule, dans l'ordre de lecture.

    Une ligne imbriquée faite de cellules d'une seule ligne devient « a : b » (par exemple
    « Financement Etat » | « 14 574 € ») ; les autres lignes donnent leurs paragraphes.
    Chaque paragraphe garde le rang de sa rangée et le texte de ses cellules, pour qui
    lit le tableau par sa structure (sous-tableau de financement, `importer.moyens`).
    """
    result: list[Paragraph] = []
    for index, row in enumerate(table.rows):
        texts = tuple(cell_text(cell) for cell in row)
        shape = {"cells": texts, "row": index}
        cells = [[p for p in cell if p.text] for cell in row]
        cells = [cell for cell in cells if cell]
        if len(cells) > 1 and all(len(cell) == 1 for cell in cells):
            result.append(Paragraph(" : ".join(cell[0].text for cell in cells), **shape))
        else:
            for cell in cells:
                result.extend(Paragraph(p.text, p.is_list_item, **shape) for p in cell)
    return result

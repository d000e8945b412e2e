"""Rubrique « Moyens financiers prévisionnels » : des paragraphes lus aux lignes de
financement, et ce qui n'en est pas une, à signaler.

Les écritures des départements sont reconnues par leur forme, pas par leur place :

- « Financement <financeur> : <montant> » (modèle officiel, fiches de la Creuse), lu par
  `financements.parse_text` ; une ligne peut se poursuivre au paragraphe suivant ;
- « <financeur> : <montant> », en paragraphe ou en liste (« - État : 14 574 € ») :
  `financements.parse_labelled_line` (noms des financeurs : `financeurs.SYNONYMES`) ;
- un tableau imbriqué dans la cellule, lu par sa structure (`_grid`) : une rangée par
  financeur (la première colonne les nomme) ou une colonne par financeur (la première
  rangée les nomme). Une rangée d'en-tête (« Financeur | Montant (k€) ») donne l'unité
  des nombres nus et la colonne de valorisation ; une rangée ou colonne « Total » n'est
  pas un financeur : elle est comparée à la somme des lignes.

Le reste (texte avant la première ligne, rangée sans financeur, total qui ne tombe pas
juste) devient un message de `Moyens.warnings`, que la fiche signale : rien n'est perdu
en silence ni rangé dans un autre champ.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..financements import parse_labelled_line, parse_line, parse_text, split_lines
from ..financeurs import find_financeur, normalize
from ..montants import find_amounts, format_amount, leading_amount
from .blocks import Paragraph

_LINE_START = re.compile(r"(?i)financements?\b")
_TOTAL = re.compile(r"(?:^|\s)(?:sous\s)?totale?s?(?:\s|$)")
_SCALES = (
    (re.compile(r"(?i)\bk\s?€|\bk\s?euros?\b|\bkeuros?\b|\bmilliers?\b"), Decimal(1000)),
    (re.compile(r"\bM\s?€|(?i:\bmillions?\b)"), Decimal(1_000_000)),
)
_VALORISATION = re.compile(r"(?i)valoris")
_SHOWN_CHARS = 300  # texte cité dans un avertissement
_NO = frozenset({"non", "-", "–", "—", "0", "néant", "neant", "sans objet"})


@dataclass
class Moyens:
    """Lignes de financement lues, et un message par texte non reconnu."""

    financements: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def unrecognised(self, text: str, *, row: bool = False) -> None:
        what = "rangée du tableau non reconnue" if row else "texte non reconnu"
        if len(text) > _SHOWN_CHARS:
            text = text[: _SHOWN_CHARS - 1] + "…"
        self.warnings.append(
            f"Moyens financiers : {what} comme ligne de financement, "
            f"à reprendre à la main : « {text} »."
        )


def read_moyens(paragraphs: list[Paragraph]) -> Moyens:
    """Financements d'une rubrique « Moyens financiers », dans l'ordre du document."""
    result = Moyens()
    run: list[str] = []  # paragraphes d'une suite « Financement … » (ligne continuée)
    for unit in _units([p for p in paragraphs if p.text]):
        if isinstance(unit, list):
            _flush(run, result)
            _grid(unit, result)
            continue
        text = unit.text
        if not _LINE_START.match(text):
            row = parse_labelled_line(text)
            if row is not None:
                _flush(run, result)
                result.financements.append(row)
                continue
            if _is_total(text.partition(":")[0]):
                _flush(run, result)
                continue  # « Total : 20 500 € » : pas un financeur
        run.append(text)
    _flush(run, result)
    return result


def _units(paragraphs: list[Paragraph]):
    """Paragraphes libres un à un, et chaque tableau imbriqué comme la liste de ses
    rangées (texte des cellules)."""
    grid: list[tuple[str, ...]] = []
    previous: int | None = None
    for paragraph in paragraphs:
        if paragraph.row is None:
            if grid:
                yield grid
                grid, previous = [], None
            yield paragraph
            continue
        if previous is not None and paragraph.row < previous:
            yield grid  # un autre tableau imbriqué commence
            grid = []
        if paragraph.row != previous:
            grid.append(paragraph.cells)
        previous = paragraph.row
    if grid:
        yield grid


def _flush(run: list[str], result: Moyens) -> None:
    """Lignes « Financement … » d'une suite de paragraphes ; le texte qui précède la
    première est signalé."""
    if not run:
        return
    text = " ".join(run)
    run.clear()
    result.financements.extend(parse_text(text))
    lines = split_lines(text)
    if not lines:
        return
    if not lines[0].lower().startswith("financement"):
        result.unrecognised(lines[0])
    elif lines[0] != text and (lead := text[: text.find(lines[0])].strip()):
        result.unrecognised(lead)


def _is_total(label: str) -> bool:
    """« Total », « Total général », « Coût total », « Sous-total » : ni un financeur, ni
    une ligne à signaler."""
    return find_financeur(label) is None and bool(_TOTAL.search(normalize(label)))


def _has_amount(text: str) -> bool:
    return bool(find_amounts(text)) or leading_amount(text) is not None


def _names_funder(text: str) -> bool:
    return bool(text) and (find_financeur(text) is not None or _is_total(text))


# -- tableau imbriqué -------------------------------------------------------------------------


def _grid(rows: list[tuple[str, ...]], result: Moyens) -> None:
    """Un tableau de financement : orienté en rangées (une par financeur), puis lu rangée
    par rangée ; l'en-tête éventuel donne l'unité et la colonne de valorisation."""
    width = max(len(row) for row in rows)
    rows = [tuple(" ".join(c.split()) for c in row) + ("",) * (width - len(row)) for row in rows]
    by_column = sum(_names_funder(c) for c in rows[0]) if len(rows) > 1 else 0
    by_row = sum(_names_funder(row[0]) for row in rows[1:]) + _names_funder(rows[0][0])
    if by_column > by_row and not any(_has_amount(c) for c in rows[0]):
        rows = [tuple(column) for column in zip(*rows, strict=True)]
    header: tuple[str, ...] = ()
    if not _names_funder(rows[0][0]) and not any(_has_amount(c) for c in rows[0]):
        header, rows = rows[0], rows[1:]
    scale = next(
        (value for pattern, value in _SCALES if any(pattern.search(c) for c in header)),
        Decimal(1),
    )
    valorisation = {j for j, c in enumerate(header) if j and _VALORISATION.search(c)}
    total: Decimal | None = None
    read: list[dict] = []
    for row in rows:
        label, values = row[0], row[1:]
        if not any(values) and not label:
            continue
        if _is_total(label):
            amount = _amount(" ".join(values), scale)
            total = amount if amount is not None else total
            continue
        found = _row(label, _body(values, valorisation), scale)
        if found is None:
            result.unrecognised(" | ".join(c for c in row if c), row=True)
        else:
            read.append(found)
    result.financements.extend(read)
    _check_total(total, read, result)


def _body(values: tuple[str, ...], valorisation: set[int]) -> str:
    """Cellules après le financeur, en une phrase que `financements.parse_body` lit :
    la colonne de valorisation devient « dont … de valorisation » ou « (valorisation) »."""
    parts: list[str] = []
    for j, cell in enumerate(values, start=1):
        if not cell:
            continue
        if j in valorisation:
            if _has_amount(cell):
                parts.append(f"dont {cell} de valorisation")
            elif cell.lower() not in _NO:
                parts.append("(valorisation)")
            continue
        parts.append(cell)
    return " ".join(parts)


def _row(label: str, body: str, scale: Decimal) -> dict | None:
    if not label or not body:
        return None
    if _LINE_START.match(label):
        return parse_line(f"{label} : {body}")
    return parse_labelled_line(f"{label} : {body}", scale=scale)


def _amount(text: str, scale: Decimal) -> Decimal | None:
    amounts = find_amounts(text)
    if amounts:
        return amounts[0].value
    bare = leading_amount(text)
    return bare.value * scale if bare is not None else None


def _check_total(total: Decimal | None, read: list[dict], result: Moyens) -> None:
    """Un total écrit qui ne tombe pas juste est signalé (une ligne mal lue, ou mal tapée)."""
    if total is None or not read or any(row.get("montant") is None for row in read):
        return
    computed = sum((row["montant"] for row in read), Decimal(0))
    if computed != total:
        result.warnings.append(
            f"Moyens financiers : le total écrit ({format_amount(total, missing='')}) "
            f"n'est pas la somme des lignes lues ({format_amount(computed, missing='')}) : "
            "à vérifier."
        )

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
from .fields import split_top_level

_LINE_START = re.compile(r"(?i)financements?\b")
_TOTAL = re.compile(r"(?:^|\s)(?:sous\s)?totale?s?(?:\s|$)")
_SCALES = (
    (re.compile(r"(?i)\bk\s?€|\bk\s?euros?\b|\bkeuros?\b|\bmilliers?\b"), Decimal(1000)),
    (re.compile(r"\bM\s?€|(?i:\bmillions?\b)"), Decimal(1_000_000)),
)
_YEAR = re.compile(r"(?i)(?:en\s|ann[ée]es?\s)?\s?((?:19|20)\d\d)")
_VALORISATION = re.compile(r"(?i)valoris")
_SHOWN_CHARS = 300  # texte cité dans un avertissement
_NO = frozenset({"non", "-", "–", "—", "0", "néant", "neant", "sans objet"})


@dataclass
class Moyens:
    """Lignes de financement lues, un message par texte non reconnu, et les paragraphes
    du texte signé de la rubrique (un tableau lu par colonne y est écrit une rangée par
    financeur, « CAF : 45 k€ », plutôt que « CAF : CD » puis « 45 k€ : 8 k€ »)."""

    financements: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

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
    totals: list[Decimal | None] = []  # lignes « Total : … » hors tableau
    for unit in _units([p for p in paragraphs if p.text]):
        if isinstance(unit, tuple):
            _flush(run, result)
            grid, originals = unit
            turned = _grid(grid, result)
            result.paragraphs.extend(
                [Paragraph(" : ".join(c for c in row if c)) for row in turned if any(row)]
                if turned
                else originals
            )
            continue
        result.paragraphs.append(unit)
        text = unit.text
        if not _LINE_START.match(text):
            rows = _labelled(text)
            if rows:
                _flush(run, result)
                result.financements.extend(rows)
                continue
            label, _, body = text.partition(":")
            if _is_total(label) and find_financeur(body) is None:
                _flush(run, result)
                totals.append(_amount(body, Decimal(1)))
                continue  # « Total : 20 500 € » : pas un financeur
        run.append(text)
    _flush(run, result)
    if len(totals) == 1:
        _check_total(totals[0], result.financements, result)
    return result


def _labelled(text: str) -> list[dict]:
    """Lignes « financeur : montant » d'un paragraphe : une seule, ou plusieurs séparées
    par « ; » ou « , » (cellule de tableur, phrase) quand chaque morceau en est une."""
    for separator in (";", ", "):
        pieces = [p for p in split_top_level(text, separator) if p]
        if len(pieces) > 1:
            rows = [parse_labelled_line(piece) for piece in pieces]
            if all(rows):
                return rows
    row = parse_labelled_line(text)
    return [row] if row is not None else []


def _units(paragraphs: list[Paragraph]):
    """Paragraphes libres un à un, et chaque tableau imbriqué comme (ses rangées en texte
    des cellules, ses paragraphes)."""
    grid: list[tuple[str, ...]] = []
    originals: list[Paragraph] = []
    previous: int | None = None
    for paragraph in paragraphs:
        if paragraph.row is None:
            if grid:
                yield grid, originals
                grid, originals, previous = [], [], None
            yield paragraph
            continue
        if previous is not None and paragraph.row < previous:
            yield grid, originals  # un autre tableau imbriqué commence
            grid, originals = [], []
        if paragraph.row != previous:
            grid.append(paragraph.cells)
        originals.append(paragraph)
        previous = paragraph.row
    if grid:
        yield grid, originals


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


def _is_year(text: str) -> bool:
    return bool(_YEAR.fullmatch(text.strip()))


def _is_amount(text: str) -> bool:
    """Un montant, pas une année d'en-tête (« 2025 » seul se lirait comme un nombre nu)."""
    return _has_amount(text) and not _is_year(text)


def _names_funder(text: str) -> bool:
    return bool(text) and (find_financeur(text) is not None or _is_total(text))


# -- tableau imbriqué -------------------------------------------------------------------------


def _grid(rows: list[tuple[str, ...]], result: Moyens) -> list[tuple[str, ...]]:
    """Un tableau de financement : orienté en rangées (une par financeur), puis lu rangée
    par rangée ; l'en-tête éventuel donne l'unité, les colonnes d'années, de valorisation
    et de total. Renvoie les rangées retournées si le tableau était lu par colonne."""
    titles, header, rows, turned = _orient(rows)
    texts = [c for row in (*titles, header) for c in row if c]
    scale = next(
        (value for pattern, value in _SCALES if any(pattern.search(c) for c in texts)),
        Decimal(1),
    )
    columns = _Columns(
        years={
            j: int(_YEAR.fullmatch(c).group(1)) for j, c in enumerate(header) if j and _is_year(c)
        },
        valorisation={j for j, c in enumerate(header) if j and _VALORISATION.search(c)},
        totals={j for j, c in enumerate(header) if j and _is_total(c)},
    )
    total: Decimal | None = None
    read: list[dict] = []
    for row in rows:
        label = row[0]
        if not any(row):
            continue
        if _is_total(label):
            total = _total_row(row, columns, scale) if total is None else total
            continue
        found = _lines(row, columns, scale)
        if not found:
            result.unrecognised(" | ".join(c for c in row if c), row=True)
        read.extend(found)
    result.financements.extend(read)
    _check_total(total, read, result)
    return [*titles, header, *rows] if turned else []


@dataclass(frozen=True)
class _Columns:
    """Rôle des colonnes d'un tableau de financement, d'après son en-tête."""

    years: dict[int, int]  # colonne → année (« 2025 », « en 2026 »)
    valorisation: set[int]  # « Dont valorisation », « Valorisation »
    totals: set[int]  # « Total » d'une rangée : la somme des autres, pas un montant de plus


def _orient(rows: list[tuple[str, ...]]):
    """(titres, en-tête, rangées, retourné) d'un tableau dont chaque rangée commence par
    un financeur : les rangées de titre (« Plan de financement (k€) ») sont mises à part,
    un tableau qui nomme ses financeurs dans sa première rangée est lu par colonne."""
    width = max(len(row) for row in rows)
    rows = [tuple(" ".join(c.split()) for c in row) + ("",) * (width - len(row)) for row in rows]
    titles: list[tuple[str, ...]] = []
    while len(rows) > 1 and _is_title(rows[0]):
        titles.append(rows.pop(0))
    by_column = sum(_names_funder(c) for c in rows[0]) if len(rows) > 1 else 0
    by_row = sum(_names_funder(row[0]) for row in rows)
    turned = by_column > by_row and not any(_is_amount(c) for c in rows[0])
    if turned:
        rows = [tuple(column) for column in zip(*rows, strict=True)]
    if not _names_funder(rows[0][0]) and not any(_is_amount(c) for c in rows[0]):
        return titles, rows[0], rows[1:], turned
    return titles, (), rows, turned


def _is_title(row: tuple[str, ...]) -> bool:
    """Une rangée d'une seule cellule remplie, sans financeur ni montant."""
    filled = [c for c in row if c]
    return len(filled) <= 1 and not any(_names_funder(c) or _is_amount(c) for c in filled)


def _lines(row: tuple[str, ...], columns: _Columns, scale: Decimal) -> list[dict]:
    """Lignes de financement d'une rangée : une par année renseignée quand l'en-tête
    nomme des années, une seule sinon ; [] si la rangée ne nomme aucun financeur."""
    label = row[0]
    if columns.years:
        found = []
        for j, year in columns.years.items():
            line = _row(label, _body(row, {j} | columns.valorisation, columns), scale)
            if line is not None and line["montant"] is not None:
                found.append({**line, "annee": year})
        return found
    line = _row(label, _body(row, set(range(1, len(row))) - columns.totals, columns), scale)
    return [line] if line is not None else []


def _body(row: tuple[str, ...], kept: set[int], columns: _Columns) -> str:
    """Cellules `kept` après le financeur, en une phrase que `financements.parse_body`
    lit : la colonne de valorisation devient « dont … de valorisation » ou
    « (valorisation) »."""
    parts: list[str] = []
    for j, cell in enumerate(row):
        if j not in kept or not cell:
            continue
        if j in columns.valorisation:
            if _has_amount(cell):
                parts.append(f"dont {cell} de valorisation")
            elif cell.lower() not in _NO:
                parts.append("(valorisation)")
            continue
        parts.append(cell)
    return " ".join(parts)


def _total_row(row: tuple[str, ...], columns: _Columns, scale: Decimal) -> Decimal | None:
    """Montant d'une rangée « Total » : la somme des années, ou son premier montant."""
    if columns.years:
        amounts = [_amount(row[j], scale) for j in columns.years if row[j]]
        amounts = [a for a in amounts if a is not None]
        return sum(amounts, Decimal(0)) if amounts else None
    kept = [c for j, c in enumerate(row) if j and j not in columns.valorisation]
    return _amount(" ".join(kept), scale)


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

"""Tableurs CSV, XLSX et ODS communs (valeurs des indicateurs, journal des accès, annexe
financière du rapport d'exécution) : une cellule de texte ne devient jamais une formule."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from odfdo import Cell, Document, Element, Row, Table
from openpyxl import Workbook
from openpyxl.styles import Font

#: Premiers caractères qu'un tableur lit comme le début d'une formule (OWASP, « CSV
#: injection ») : = + - @, tabulation et retour chariot.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Une cellule de texte qui commencerait une formule est précédée d'une apostrophe,
    comme le recommande l'OWASP : le tableur l'affiche comme du texte et n'exécute rien.
    Les nombres restent des nombres (un montant de -5000 n'est pas du texte). Pour le CSV
    et le XLSX ; l'ODS écrit chaque texte comme du texte, sans formule possible."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV à point-virgule (Excel en français), virgule décimale, cellules neutralisées."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                "" if c is None else str(c).replace(".", ",") if isinstance(c, float) else c
                for c in map(neutralise, row)
            ]
        )
    # Le BOM permet à Excel d'ouvrir le fichier en UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """Une feuille : titre, en-tête, lignes ; `money` = index (depuis 0) des colonnes en euros."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    money: frozenset[int] = field(default_factory=frozenset)


XLSX_MONEY = '#,##0.00\\ "€"'


def workbook_xlsx(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """Classeur XLSX : en-têtes en gras et figés, montants en euros, cellules neutralisées."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])  # limite d'Excel
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            # openpyxl prendrait un texte commençant par « = » pour une formule.
            sheet.append([neutralise(c) for c in row])
        for column in spec.money:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = XLSX_MONEY
        sheet.freeze_panes = "A2"
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Classeur d'une feuille `title`, en-tête en gras et figé, cellules neutralisées."""
    return workbook_xlsx([Sheet(title, headers, rows)])


_ODS_STYLES = (
    '<number:currency-style style:name="EurosNombre">'
    '<number:number number:decimal-places="2" number:min-decimal-places="2" '
    'number:min-integer-digits="1" number:grouping="true"/>'
    "<number:text> </number:text>"
    '<number:currency-symbol number:language="fr" number:country="FR">€</number:currency-symbol>'
    "</number:currency-style>",
    '<style:style style:name="Euros" style:family="table-cell" '
    'style:parent-style-name="Default" style:data-style-name="EurosNombre"/>',
    '<style:style style:name="Entete" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold"/></style:style>',
)


def _ods_cell(value, *, money: bool) -> Cell:
    """Un texte reste du texte (office:string-value, jamais table:formula) ; un montant
    est une valeur monétaire en euros, affichée à la française (« -1 000,00 € »)."""
    if value is None:
        return Cell()
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if money and isinstance(value, int | float):
        text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"
        return Cell(value, text=text, cell_type="currency", currency="EUR", style="Euros")
    return Cell(value)


def workbook_ods(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """Classeur ODS : en-têtes en gras (rangée d'en-tête), montants en euros ; aucune
    cellule n'est une formule."""
    document = Document("spreadsheet")
    document.body.clear()
    for style in _ODS_STYLES:
        document.insert_style(Element.from_tag(style), automatic=True)
    for spec in sheets:
        table = Table(spec.title)
        header_rows = Element.from_tag("<table:table-header-rows/>")
        header = Row()
        for heading in spec.headers:
            header.append(Cell(heading, style="Entete"))
        header_rows.append(header)
        table.append(header_rows)
        for values in spec.rows:
            row = Row()
            for index, value in enumerate(values):
                row.append(_ods_cell(value, money=index in spec.money))
            table.append(row)
        document.body.append(table)
    if title:
        document.meta.title = title
    document.meta.language = "fr-FR"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

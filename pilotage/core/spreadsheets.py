"""Tableurs CSV et XLSX communs (valeurs des indicateurs, journal des accès) : une cellule
de texte ne devient jamais une formule."""

import csv
import io
from collections.abc import Iterable, Sequence

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


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Classeur d'une feuille `title`, en-tête en gras et figé, cellules neutralisées."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # limite d'Excel
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # openpyxl prendrait un texte commençant par « = » pour une formule.
        sheet.append([neutralise(c) for c in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Annexe financière du rapport d'exécution en tableur (XLSX) : une ligne par fiche et
financeur (prévu, transferts, total, exécuté, valorisation à part), puis les totaux par
financeur sur une seconde feuille. Les textes sont neutralisés (jamais de formule)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from pilotage.core.spreadsheets import neutralise

from ..content import RapportContent
from ..formats import register

MONTANT = '#,##0.00\\ "€"'

LIGNES_COLONNES = (
    "Fiche",
    "Titre",
    "Financeur",
    "Code financeur",
    "Prévu",
    "dont sans année",
    "Transferts",
    "Total",
    "Exécuté",
    "Valorisation",
    "Notes",
)
LIGNES_MONTANTS = range(5, 11)  # colonnes E à J

TOTAUX_COLONNES = ("Financeur", "Code financeur", "Prévu", "Transferts", "Total", "Valorisation")
TOTAUX_MONTANTS = range(3, 7)


def annexe_lignes(content: RapportContent) -> list[list]:
    return [
        [
            ligne.fiche,
            ligne.titre,
            ligne.financeur_libelle,
            ligne.financeur,
            ligne.prevu,
            ligne.dont_sans_annee,
            ligne.transferts,
            ligne.total,
            ligne.execute,
            ligne.valorisation,
            " ; ".join(ligne.notes),
        ]
        for ligne in content.annexe_financiere.lignes
    ]


def annexe_totaux(content: RapportContent) -> list[list]:
    return [
        [t.financeur_libelle, t.financeur, t.prevu, t.transferts, t.total, t.valorisation]
        for t in content.annexe_financiere.totaux
    ]


def _sheet(sheet, title: str, headers, rows, montants) -> None:
    sheet.title = title[:31]  # limite d'Excel
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(c) for c in row])
    for column in montants:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONTANT
    sheet.freeze_panes = "A2"


@register("xlsx")
def export_xlsx(content: RapportContent) -> bytes:
    workbook = Workbook()
    annee = content.entete.annee
    _sheet(
        workbook.active,
        f"Annexe financière {annee}",
        LIGNES_COLONNES,
        annexe_lignes(content),
        LIGNES_MONTANTS,
    )
    _sheet(
        workbook.create_sheet(),
        "Totaux par financeur",
        TOTAUX_COLONNES,
        annexe_totaux(content),
        TOTAUX_MONTANTS,
    )
    workbook.properties.title = (
        f"Annexe financière du rapport d'exécution {annee} – {content.entete.departement}"
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

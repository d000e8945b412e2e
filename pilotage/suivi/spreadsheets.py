"""Valeurs des indicateurs d'un contrat en tableur : CSV, XLSX (Excel), ODS (LibreOffice).

Une ligne par valeur saisie, avec le taux calculé et les incohérences signalées ; la
fiche est désignée par son numéro affiché (« 13-1 »), comme l'import des valeurs la lit.
"""

import io
from decimal import Decimal

from odfdo import Document, Table

from pilotage.core.spreadsheets import csv_bytes, xlsx_bytes

from .checks import inconsistencies
from .models import ValeurIndicateur

HEADERS = [
    "Fiche",
    "Titre de la fiche",
    "Indicateur",
    "Indicateur national",
    "Année",
    "Semestre",
    "Valeur",
    "Numérateur",
    "Dénominateur",
    "Taux calculé (%)",
    "Taux indiqué (%)",
    "Source",
    "Commentaire",
    "Saisie le",
    "Saisie par",
    "À vérifier",
]

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
}


def _num(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rows(contrat) -> list[list]:
    """Les lignes du tableau (sans l'en-tête), dans l'ordre des fiches et des périodes."""
    valeurs = list(
        ValeurIndicateur.objects.of_contrat(contrat)
        .select_related("indicateur__fiche", "indicateur__indicateur_national", "user")
        .order_by(
            "indicateur__fiche__numero",
            "indicateur__ordre",
            "indicateur_id",
            "annee",
            "semestre",
            "pk",
        )
    )
    flags = inconsistencies(valeurs)
    return [_row(v, flags) for v in valeurs]


def _row(v: ValeurIndicateur, flags: dict) -> list:
    fiche = v.indicateur.fiche
    return [
        # Le numéro affiché (« 13-1 »), que l'import des valeurs relit ; nombre sinon.
        fiche.numero_texte or fiche.numero,
        fiche.titre,
        v.indicateur.libelle,
        v.indicateur.indicateur_national.libelle if v.indicateur.indicateur_national else "",
        v.annee,
        v.semestre or "",
        _num(v.valeur),
        _num(v.numerateur),
        _num(v.denominateur),
        _num(v.taux),
        _num(v.taux_indique),
        v.source,
        v.commentaire,
        v.created_at.strftime("%d/%m/%Y"),
        v.user.email if v.user else "",
        " ".join(flags.get(v.pk, [])),
    ]


def to_csv(contrat) -> bytes:
    return csv_bytes(HEADERS, rows(contrat))


def to_xlsx(contrat) -> bytes:
    return xlsx_bytes("Valeurs des indicateurs", HEADERS, rows(contrat))


def to_ods(contrat) -> bytes:
    document = Document("spreadsheet")
    document.body.clear()
    table = Table("Valeurs des indicateurs")
    table.set_values([HEADERS] + [["" if c is None else c for c in row] for row in rows(contrat)])
    document.body.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "ods": to_ods}


def export_indicateurs(contrat, fmt: str) -> bytes:
    return WRITERS[fmt](contrat)

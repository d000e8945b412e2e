"""Exports Word et tableur XLSX du rapport d'exécution, par la commande `rapport_execution`,
sur la démonstration : le rapport 2024 de la Creuse (contrat 2020-2024) relu avec
python-docx et openpyxl."""

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command

from pilotage.rapports.content import rapport_content
from pilotage.rapports.exports.nombres import nombre, pourcentage
from pilotage.rapports.formats import EXPORTERS
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401


def export(fmt: str, path) -> None:
    call_command(
        "rapport_execution",
        *("--departement", "23", "--annee", "2024", "--format", fmt, "-o", str(path)),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


@pytest.fixture
def document_2024(precedent, tmp_path):  # noqa: F811
    path = tmp_path / "rapport.docx"
    export("docx", path)
    return docx.Document(str(path))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _tables(document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


def test_every_format_of_the_report_is_registered():
    assert set(EXPORTERS) == {"json", "docx", "odt", "pdf", "xlsx", "ods"}


def test_french_numbers_in_documents():
    assert (nombre(Decimal("593")), nombre(Decimal("14.0")), nombre(12500)) == (
        "593",
        "14,0",
        "12\u202f500",
    )
    assert pourcentage(Decimal("39.9")) == "+39,9\u00a0%"
    assert pourcentage(Decimal("-5.0")) == "-5,0\u00a0%"
    assert (pourcentage(Decimal(0)), pourcentage(None)) == ("0\u00a0%", "—")


def test_docx_title_header_and_recapitulatif(document_2024):
    paragraphs = _paragraphs(document_2024)
    assert paragraphs[0] == "Rapport d'exécution 2024 – Creuse"
    assert document_2024.core_properties.title == "Rapport d'exécution 2024 – Creuse"
    entete = dict(map(tuple, _tables(document_2024)[0]))
    assert entete["Région"] == "Nouvelle-Aquitaine"
    assert entete["Première contractualisation"] == "2021"
    assert "Actions mises en œuvre : 18 / 19" in " ".join(paragraphs)
    assert "Actions dont la mise en œuvre a pris du retard : 2 / 19 (fiches 7, 9)" in paragraphs
    assert "Actions abandonnées : 1 / 19 (fiches 18)" in paragraphs
    assert any(
        p.startswith("Fiche 18 (abandon) : ") and "Cour de cassation" in p for p in paragraphs
    )


def test_docx_fiche_6_indicators_in_french(document_2024):
    rows = [row for table in _tables(document_2024) for row in table]
    (entrantes,) = [r for r in rows if r[0].startswith("Nombre d'IP entrantes")]
    assert entrantes[1:] == ["593", "424", "+39,9\u00a0%", "Rapport d'exécution 2024"]
    headers = next(r for r in rows if r[0] == "Indicateur")
    assert headers[1:3] == ["Valeur 2024", "Valeur 2023"]


def test_docx_sections_follow_engagements_with_redeploiement(document_2024):
    paragraphs = _paragraphs(document_2024)
    headings = [p.text for p in document_2024.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Récapitulatif synthétique", headings[1]]
    assert headings[1].startswith("Engagement 1 : ")
    assert headings[-1] == "Incohérences à vérifier"
    fiche_6 = paragraphs.index(next(p for p in paragraphs if p.startswith("Fiche 6 – ")))
    fiche_7 = paragraphs.index(next(p for p in paragraphs if p.startswith("Fiche 7 – ")))
    section_6 = paragraphs[fiche_6:fiche_7]
    assert "Redéploiements" in section_6
    assert any(
        "renforcée par les moyens alloués à l'action 7 à hauteur de 1\u202f000\u00a0€" in p
        for p in section_6
    )
    for label in ("Descriptif", "Partenaires", "Durée", "Budget", "Bilan d'exécution"):
        assert label in section_6
    assert any(p.startswith("Fiche 13-1 – ") for p in paragraphs)


def test_docx_lists_the_inconsistencies(document_2024):
    paragraphs = _paragraphs(document_2024)
    start = paragraphs.index("Incohérences à vérifier")
    assert any(p.startswith("Fiche 6 : ") and "598" in p and "593" in p for p in paragraphs[start:])


def test_xlsx_financial_annex_rows(precedent, tmp_path):  # noqa: F811
    path = tmp_path / "annexe.xlsx"
    export("xlsx", path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Annexe financière 2024", "Totaux par financeur"]
    sheet = workbook["Annexe financière 2024"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Fiche", "Titre", "Financeur", "Code financeur", "Prévu")
    fiche_7 = next(r for r in rows[1:] if r[0] == "7" and r[3] == "etat")
    assert fiche_7[6] == -1000  # transfert vers la fiche 6
    assert fiche_7[8] is None  # l'exécuté n'est pas encore recueilli
    assert any(r[0] == "6" and r[6] == 1000 for r in rows[1:])
    totaux = list(workbook["Totaux par financeur"].iter_rows(values_only=True))
    assert len(totaux) > 1 and totaux[0][0] == "Financeur"


def test_xlsx_text_never_becomes_a_formula(precedent):  # noqa: F811
    content = rapport_content(precedent, 2024)
    content.annexe_financiere.lignes[0].titre = '=HYPERLINK("http://x")'
    sheet = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"](content))).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"


def test_docx_free_text_lists_become_bullets(document_2024):
    (item,) = [
        p
        for p in document_2024.paragraphs
        if p.text == "Diminuer le temps de traitement des informations préoccupantes"
    ]
    assert item.style.name == "List Bullet"

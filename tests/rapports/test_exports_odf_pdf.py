"""Exports OpenDocument, PDF et annexe ODS du rapport d'exécution, par la commande
`rapport_execution`, sur la démonstration : le rapport 2024 de la Creuse (contrat
2020-2024) relu avec odfdo et, pour le PDF, glyphe par glyphe (tests.pdf)."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from odfdo import Document

from pilotage.rapports.content import rapport_content
from pilotage.rapports.formats import EXPORTERS
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401
from tests.pdf import pdf_objects, pdf_text

TITLE = "Rapport d'exécution 2024 – Creuse"


def export(fmt: str, tmp_path) -> bytes:
    path = tmp_path / f"rapport.{fmt}"
    call_command(
        "rapport_execution",
        *("--departement", "23", "--annee", "2024", "--format", fmt, "-o", str(path)),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return path.read_bytes()


@pytest.fixture
def odt(precedent, tmp_path):  # noqa: F811
    return Document(io.BytesIO(export("odt", tmp_path)))


@pytest.fixture
def pdf(precedent, tmp_path):  # noqa: F811
    return export("pdf", tmp_path)


def _odt_rows(document) -> list[list[str]]:
    """Le texte des cellules de chaque rangée (rangées d'en-tête comprises)."""
    return [
        [cell.text_recursive.strip() for cell in row.get_elements("table:table-cell")]
        for table in document.body.get_tables()
        for row in table.get_elements("descendant::table:table-row")
    ]


def test_odt_title_language_and_headings(odt):
    assert odt.meta.title == TITLE
    assert odt.meta.language == "fr-FR"
    headings = [(int(h.level), str(h).strip()) for h in odt.body.get_headers()]
    assert headings[0] == (1, TITLE)
    assert headings[1] == (2, "Récapitulatif synthétique")
    assert headings[2][0] == 2 and headings[2][1].startswith("Engagement 1 : ")
    assert headings[-1] == (2, "Incohérences à vérifier")
    assert (4, next(t for _, t in headings if t.startswith("Fiche 6 – "))) in headings
    assert any(t.startswith("Fiche 13-1 – ") for _, t in headings)


def test_odt_recapitulatif_18_2_1_of_19(odt):
    text = odt.get_formatted_text()
    assert "Actions mises en œuvre : 18 / 19" in text
    assert "Actions dont la mise en œuvre a pris du retard : 2 / 19 (fiches 7, 9)" in text
    assert "Actions abandonnées : 1 / 19 (fiches 18)" in text
    assert re.search(r"Fiche 18 \(abandon\) : .*Cour de cassation", text)
    entete = {row[0]: row[1] for row in _odt_rows(odt) if len(row) == 2}
    assert entete["Première contractualisation"] == "2021"


FICHE_6 = [
    ["Nombre d'IP entrantes (Nombre)", "593", "424", "+39,9\u00a0%", "Rapport d'exécution 2024"],
    ["Nombre d'IP évaluées (Nombre)", "179", "213", "-16,0\u00a0%", "Rapport d'exécution 2024"],
    [
        "Nombre d'IP évaluées en moins de 3 mois (Nombre)",
        *("25", "20", "+25,0\u00a0%", "Rapport d'exécution 2024"),
    ],
    [
        "Taux d'IP évaluées sous 3 mois (Pourcentage (%))",
        *("25 / 179 = 14 %", "20 / 213 = 9,4 %", "+48,9\u00a0%", "Rapport d'exécution 2024"),
    ],
]


def test_odt_fiche_6_indicators_in_french(odt):
    rows = _odt_rows(odt)
    start = rows.index(FICHE_6[0])
    assert rows[start - 1] == [*("Indicateur", "Valeur 2024", "Valeur 2023", "Évolution", "Source")]
    assert rows[start : start + 4] == FICHE_6


def test_odt_header_row_of_indicator_tables_is_marked(precedent, tmp_path):  # noqa: F811
    with zipfile.ZipFile(io.BytesIO(export("odt", tmp_path))) as archive:
        content = archive.read("content.xml").decode()
    assert "<table:table-header-rows>" in content
    assert "renforcée par les moyens alloués à l'action 7 à hauteur de 1\u202f000\u00a0€" in content


def test_pdf_figures_of_the_2024_report(pdf):
    text = pdf_text(pdf)
    assert TITLE in text
    assert "Actions mises en œuvre : 18 / 19" in text
    assert "Actions dont la mise en œuvre a pris du retard : 2 / 19 (fiches 7, 9)" in text
    assert "Actions abandonnées : 1 / 19 (fiches 18)" in text
    assert "Cour de cassation" in text
    for row in FICHE_6:  # espaces insécables normalisés par la relecture : « +39,9 % »
        assert " ".join(" ".join(row).split()) in text
    assert "Incohérences à vérifier" in text


def test_pdf_is_tagged_with_language_title_headings_and_table_headers(pdf):
    objects = pdf_objects(pdf)
    assert pdf.startswith(b"%PDF")
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang (fr)", b"/Title", b"/TH"):
        assert marker in objects, marker
    for heading in (b"/H1", b"/H2", b"/H3", b"/H4"):
        assert heading in objects, heading


def _ods_tables(data: bytes):
    return {t.name: t.get_values() for t in Document(io.BytesIO(data)).body.get_tables()}


def test_ods_financial_annex_rows_like_the_xlsx(precedent, tmp_path):  # noqa: F811
    tables = _ods_tables(export("ods", tmp_path))
    assert list(tables) == ["Annexe financière 2024", "Totaux par financeur"]
    rows = tables["Annexe financière 2024"]
    assert rows[0][:5] == ["Fiche", "Titre", "Financeur", "Code financeur", "Prévu"]
    fiche_7 = next(r for r in rows[1:] if r[0] == "7" and r[3] == "etat")
    assert fiche_7[6] == -1000  # transfert vers la fiche 6
    assert fiche_7[8] is None  # l'exécuté n'est pas encore recueilli
    assert any(r[0] == "6" and r[6] == 1000 for r in rows[1:])
    totaux = tables["Totaux par financeur"]
    assert len(totaux) > 1 and totaux[0][0] == "Financeur"


def test_ods_and_xlsx_share_the_same_columns(precedent):  # noqa: F811
    import openpyxl

    content = rapport_content(precedent, 2024)
    ods = _ods_tables(EXPORTERS["ods"](content))
    xlsx = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"](content)))
    for sheet in xlsx.worksheets:
        assert list(next(sheet.iter_rows(values_only=True))) == ods[sheet.title][0]


def test_ods_text_never_becomes_a_formula(precedent):  # noqa: F811
    content = rapport_content(precedent, 2024)
    content.annexe_financiere.lignes[0].titre = '=HYPERLINK("http://x")'
    data = EXPORTERS["ods"](content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("content.xml").decode()
    assert "table:formula" not in xml
    rows = _ods_tables(data)["Annexe financière 2024"]
    assert rows[1][1] == '=HYPERLINK("http://x")'
    assert 'office:value-type="string" calcext:value-type="string" office:string-value="=HY' in xml

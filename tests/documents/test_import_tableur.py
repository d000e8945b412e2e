"""Import de fiches depuis un tableur (.xlsx, .ods) : une ligne par fiche."""

import io
import zipfile

import pytest
from odfdo import Document, Table
from openpyxl import Workbook

from pilotage.documents.importer import ImportErreur, parse_document

HEADERS = [
    "Numéro",
    "Objectifs",
    "Titre de la fiche",
    "Référent",
    "Partenaires",
    "Indicateurs quantitatifs",
]
ROW = [
    3,
    "1, 2",
    "Accueil familial de proximité",
    "Mme Martin",
    "CAF, ARS ; PMI",
    "Nombre de familles",
]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows) -> bytes:
    document = Document("spreadsheet")
    document.body.clear()
    table = Table("Fiches")
    table.set_values([[("" if c is None else c) for c in row] for row in rows])
    document.body.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("build", "name"), [(xlsx, "fiches.xlsx"), (ods, "fiches.ods")])
def test_a_spreadsheet_row_becomes_a_fiche(build, name):
    result = parse_document(build([HEADERS, ROW]), filename=name, known_objectifs={1, 2})
    [fiche] = result.fiches
    assert fiche.numero == 3
    assert fiche.objectifs == [1, 2]
    assert fiche.titre == "Accueil familial de proximité"
    assert fiche.referent == "Mme Martin"
    assert fiche.acteurs == ["CAF", "ARS", "PMI"]
    assert fiche.indicateurs_quantitatifs == ["Nombre de familles"]


def test_columns_in_any_order_with_synonyms_are_recognised():
    headers = ["Intitulé de l'action", "Diagnostic", "N°", "Budget prévisionnel", "Commentaire"]
    row = ["Visites prénatales", "Peu de visites", "7", "Financement Etat : 12 000 €", "x"]
    result = parse_document(xlsx([["Fiches 2025"], headers, row]), filename="f.xlsx")
    [fiche] = result.fiches
    assert (fiche.numero, fiche.titre, fiche.constat) == (7, "Visites prénatales", "Peu de visites")
    assert fiche.financements[0]["montant"] == 12000
    assert any("Commentaire" in w.message for w in result.warnings)


def test_the_example_row_of_the_model_is_ignored():
    rows = [HEADERS, ["Exemple : 1", "1", "Titre d'exemple"], ROW]
    result = parse_document(xlsx(rows), filename="f.xlsx")
    assert [f.numero for f in result.fiches] == [3]


def test_a_spreadsheet_without_header_is_refused_in_french():
    with pytest.raises(ImportErreur, match="en-tête"):
        parse_document(xlsx([["a", "b"], ["c", "d"]]), filename="f.xlsx")


def test_a_spreadsheet_with_macros_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([HEADERS, ROW]))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(ImportErreur, match="macros"):
        parse_document(buffer.getvalue(), filename="f.xlsx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "ancien format"),
        (b"pas un tableur", "pas un tableur"),
    ],
)
def test_bad_spreadsheet_files_are_refused(data, message):
    with pytest.raises(ImportErreur, match=message):
        parse_document(data, filename="f.xlsx")


def test_a_word_document_renamed_xlsx_is_refused():
    from tests.documents.docx_builder import FicheSpec, build_docx

    with pytest.raises(ImportErreur, match="pas un tableur"):
        parse_document(build_docx([FicheSpec(numero=1)]), filename="f.xlsx")


def test_an_empty_ods_shell_is_refused_without_error_500():
    shell = io.BytesIO()
    with zipfile.ZipFile(shell, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ImportErreur):
        parse_document(shell.getvalue(), filename="tableau.ods")

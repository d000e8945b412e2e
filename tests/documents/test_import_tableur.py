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


def test_the_model_spreadsheet_reads_back_once_its_example_is_replaced():
    from openpyxl import load_workbook

    from pilotage.documents.importer.reader_tableur import modele_xlsx

    workbook = load_workbook(io.BytesIO(modele_xlsx()))
    sheet = workbook.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][0].startswith("Exemple")
    with pytest.raises(ImportErreur, match="Aucune fiche"):
        parse_document(modele_xlsx(), filename="modele.xlsx")
    filled = [*rows, ["5", *rows[1][1:]]]
    [fiche] = parse_document(xlsx(filled), filename="modele.xlsx").fiches
    assert fiche.numero == 5
    assert fiche.titre == "Développer l'accueil familial de proximité"
    assert fiche.objectif_operationnel == "Recruter 10 assistants familiaux."
    assert fiche.acteurs == ["CAF", "PMI", "associations"]
    assert fiche.indicateurs_qualitatifs == ["Satisfaction des familles"]
    assert fiche.points_vigilance == ["Attractivité du métier"]
    assert [f["montant"] for f in fiche.financements] == [12000, 12000]


def test_pilots_download_the_model_and_others_are_refused(client, db, creuse):
    from django.urls import reverse

    from tests.factories import ContratFactory, UserFactory, grant

    contrat = ContratFactory(departement=creuse)
    pilote, lecteur = UserFactory(), UserFactory()
    grant(pilote, contrat)
    grant(lecteur, contrat, role="lecteur")
    url = reverse("documents:import_modele", args=[contrat.pk])
    client.force_login(pilote)
    response = client.get(url)
    assert response.status_code == 200
    assert "modele-fiches-actions.xlsx" in response["Content-Disposition"]
    assert url in client.get(reverse("documents:import_upload", args=[contrat.pk])).text
    client.force_login(lecteur)
    assert client.get(url).status_code == 403


def test_a_spreadsheet_goes_through_the_usual_preview_and_apply(
    client, db, creuse, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import ContratFactory, UserFactory, grant

    settings.MEDIA_ROOT = tmp_path
    contrat = ContratFactory(departement=creuse)
    pilote = UserFactory()
    grant(pilote, contrat)
    client.force_login(pilote)
    upload = SimpleUploadedFile("fiches.xlsx", xlsx([HEADERS, ROW]))
    response = client.post(
        reverse("documents:import_upload", args=[contrat.pk]), {"fichier": upload}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Accueil familial de proximité" in preview.text
    client.post(response["Location"])
    assert contrat.fiches.get(numero=3).titre == "Accueil familial de proximité"

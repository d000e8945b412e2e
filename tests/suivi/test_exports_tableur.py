"""Export des valeurs d'indicateurs en CSV, XLSX et ODS : les fichiers s'ouvrent et se relisent."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from odfdo import Document

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi.spreadsheets import HEADERS


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def _ip_rows(rows):
    return [r for r in rows if str(r[2]).startswith("Nombre d'IP entrantes : 2023")]


def test_csv_reads_back_with_the_published_figures(demo, tmp_path):
    path = tmp_path / "indicateurs.csv"
    call_command("export_indicateurs", "--departement", "23", "--format", "csv", "-o", str(path))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    assert [(r[4], r[6]) for r in _ip_rows(rows[1:])] == [("2023", "424"), ("2024", "598")]
    epp = [r for r in rows[1:] if r[0] == "1"]
    assert {r[9] for r in epp} == {"6,8", "6,6"}
    assert all("Plusieurs valeurs différentes pour 2024" in r[15] for r in epp)


def test_xlsx_opens_and_reads_back(demo, tmp_path):
    path = tmp_path / "indicateurs.xlsx"
    call_command("export_indicateurs", "--departement", "23", "--format", "xlsx", "-o", str(path))
    sheet = openpyxl.load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [(r[4], r[6]) for r in _ip_rows(rows[1:])] == [(2023, 424), (2024, 598)]


def test_ods_opens_and_reads_back(demo, tmp_path):
    path = tmp_path / "indicateurs.ods"
    call_command("export_indicateurs", "--departement", "23", "--format", "ods", "-o", str(path))
    table = Document(str(path)).body.get_table(0)
    values = table.get_values()
    assert values[0][:3] == HEADERS[:3]
    assert [(r[4], r[6]) for r in _ip_rows(values[1:])] == [(2023, 424), (2024, 598)]


def test_unknown_departement_gives_a_french_error(demo, tmp_path):
    with pytest.raises(CommandError, match="Aucun contrat"):
        call_command(
            "export_indicateurs",
            "--departement",
            "75",
            "--format",
            "csv",
            "-o",
            str(tmp_path / "x"),
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_download_from_the_contract_page(demo, client, fmt):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(f"/contrats/{demo.pk}/indicateurs.{fmt}")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="indicateurs-23-2025-2027.{fmt}"'
    )


def test_a_user_of_another_departement_gets_404_on_indicator_exports(demo, client):
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/indicateurs.xlsx").status_code == 404

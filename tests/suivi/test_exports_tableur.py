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
    return [r for r in rows if r[2] == "Nombre d'IP entrantes"]


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


# --- injection de formules (OWASP « CSV injection ») ---------------------------------

HOSTILE = ['=HYPERLINK("http://evil.test","clic")', "+1+1", "@SUM(A1)", "-2+3", "\t=1", "\r=1"]


@pytest.fixture
def hostile_values(demo):
    """Des valeurs dont le commentaire et la source commencent par un signe de formule,
    et une valeur négative (un nombre, qui doit le rester)."""
    from pilotage.suivi.models import Indicateur, ValeurIndicateur

    indicateur = Indicateur.objects.filter(fiche__contrat=demo).first()
    for text in HOSTILE:
        ValeurIndicateur.objects.create(
            indicateur=indicateur, annee=2026, valeur=-5000, commentaire=text, source=text[:10]
        )
    return indicateur


def _hostile_rows(rows):
    return [r for r in rows if r[4] in (2026, "2026") and r[12] not in (None, "")]


def test_csv_neutralises_text_cells_starting_like_a_formula(hostile_values, tmp_path):
    path = tmp_path / "indicateurs.csv"
    call_command("export_indicateurs", "--departement", "23", "--format", "csv", "-o", str(path))
    text = path.read_bytes().decode("utf-8-sig")  # sans traduire les retours chariot
    rows = _hostile_rows(list(csv.reader(io.StringIO(text, newline=""), delimiter=";")))
    assert sorted(r[12] for r in rows) == sorted("'" + text for text in HOSTILE)
    assert all(r[11].startswith("'") for r in rows)
    assert {r[6] for r in rows} == {"-5000"}  # un montant négatif reste un nombre


def test_xlsx_stores_formula_like_text_as_quoted_strings_and_numbers_as_numbers(
    hostile_values, tmp_path
):
    path = tmp_path / "indicateurs.xlsx"
    call_command("export_indicateurs", "--departement", "23", "--format", "xlsx", "-o", str(path))
    sheet = openpyxl.load_workbook(path).active
    cells = [row for row in sheet.iter_rows(min_row=2) if row[4].value == 2026]
    assert len(cells) == len(HOSTILE)
    for row in cells:
        assert row[12].data_type == "s" and row[12].value.startswith("'")
        assert row[11].data_type == "s" and row[11].value.startswith("'")
        assert row[6].data_type == "n" and row[6].value == -5000
    assert sorted(row[12].value for row in cells) == sorted("'" + text for text in HOSTILE)

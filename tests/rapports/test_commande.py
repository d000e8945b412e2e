"""`manage.py rapport_execution` : le rapport 2024 de la Creuse en JSON (format de
docs/format-rapport-execution.md), les formats pas encore inscrits refusés clairement."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pilotage.rapports import formats
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401


def run(*args) -> str:
    out = io.StringIO()
    call_command("rapport_execution", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_accepted_format_has_an_export():
    assert set(formats.FORMATS) == set(formats.EXPORTERS)


def test_unregistered_formats_are_refused_before_anything_is_computed(db, monkeypatch):
    monkeypatch.delitem(formats.EXPORTERS, "odt")
    with pytest.raises(CommandError, match="Format « odt » pas encore disponible"):
        run("--departement", "23", "--annee", "2024", "--format", "odt", "-o", "x")


def test_unknown_format_is_refused_by_the_parser(db):
    with pytest.raises(CommandError, match="invalid choice"):
        run("--departement", "23", "--annee", "2024", "--format", "html")


def test_a_year_out_of_bounds_is_refused(db):
    with pytest.raises(CommandError, match="entre 2000 et 2100"):
        run("--departement", "23", "--annee", "99999")


def test_no_contract_for_the_year(db):
    with pytest.raises(
        CommandError, match="Aucun contrat du département 23 ne couvre l'année 2026"
    ):
        run("--departement", "23", "--annee", "2026")


@pytest.fixture
def report_2024(precedent, tmp_path):  # noqa: F811
    path = tmp_path / "rapport.json"
    run("--departement", "23", "--annee", "2024", "--format", "json", "-o", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def test_json_recapitulatif_of_the_creuse_2024_report(report_2024):
    r = report_2024["recapitulatif"]
    assert (r["prevues"], r["mises_en_oeuvre"], r["en_retard"], r["abandonnees"]) == (19, 18, 2, 1)
    assert r["fiches"]["en_retard"] == ["7", "9"]
    assert r["fiches"]["abandonnees"] == ["18"]
    assert report_2024["entete"]["generation"] == "2020-2024"  # celle qui couvre 2024


def test_json_fiche_6_indicators_are_numbers(report_2024):
    fiche = next(f for f in report_2024["fiches"] if f["numero"] == "6")
    lignes = {i["libelle"]: i for i in fiche["indicateurs"]}
    entrantes = lignes["Nombre d'IP entrantes"]
    assert (entrantes["valeur"], entrantes["valeur_precedente"]) == (593, 424)
    assert entrantes["evolution_pct"] == 39.9
    assert entrantes["source"] == "Rapport d'exécution 2024"
    assert lignes["Nombre d'IP évaluées"]["valeur"] == 179
    assert lignes["Nombre d'IP évaluées en moins de 3 mois"]["valeur"] == 25
    taux = lignes["Taux d'IP évaluées sous 3 mois"]
    assert (taux["valeur"], taux["taux_indique"]) == (14, 14)
    assert fiche["redeploiements"] == [
        {
            "depuis_fiche": "7",
            "vers_fiche": "6",
            "montant": 1000,
            "texte": "Cette action a été renforcée par les moyens alloués à l'action 7 "
            "à hauteur de 1\u202f000\u00a0€.",
        }
    ]
    assert (fiche["bilan_execution"], fiche["perspectives"]) == ("", "")


def test_json_fiche_13_1_annex_and_inconsistencies(report_2024):
    assert "13-1" in [f["numero"] for f in report_2024["fiches"]]
    lignes = report_2024["annexe_financiere"]["lignes"]
    assert {"fiche": "7", "financeur": "etat", "transferts": -1000}.items() <= next(
        ligne for ligne in lignes if ligne["fiche"] == "7"
    ).items()
    assert any(
        i["fiche"] == "6" and "598" in i["texte"] and "593" in i["texte"]
        for i in report_2024["incoherences"]
    )


def test_generation_option_and_standard_output(precedent):  # noqa: F811
    data = json.loads(run("--departement", "23", "--annee", "2026", "--generation", "2025-2027"))
    assert data["entete"]["generation"] == "2025-2027"
    assert data["recapitulatif"]["prevues"] == 17
    with pytest.raises(CommandError, match="pas dans la période du contrat 2025-2027"):
        run("--departement", "23", "--annee", "2024", "--generation", "2025-2027")
    with pytest.raises(CommandError, match="Aucun contrat 2010-2012"):
        run("--departement", "23", "--annee", "2024", "--generation", "2010-2012")


def test_a_registered_exporter_is_used(precedent, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setitem(
        formats.EXPORTERS, "docx", lambda content: b"DOCX " + content.entete.departement.encode()
    )
    path = tmp_path / "rapport.docx"
    run("--departement", "23", "--annee", "2024", "--format", "docx", "-o", str(path))
    assert path.read_bytes() == b"DOCX Creuse"
    with pytest.raises(CommandError, match="précisez -o"):
        run("--departement", "23", "--annee", "2024", "--format", "docx")


def test_unwritable_output_is_a_clear_error(precedent, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="Impossible d'écrire"):
        run("--departement", "23", "--annee", "2024", "-o", str(tmp_path / "absent" / "r.json"))

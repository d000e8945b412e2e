"""Commande `import_fiches` : analyse seule (--dry-run, JSON ou texte), erreurs, enregistrement."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pilotage.contrats.models import FicheAction
from pilotage.documents.management.commands.import_fiches import Command
from tests.factories import ContratFactory

from .docx_builder import FicheSpec, build_docx

FICHE_KEYS = [
    "numero",
    "objectifs",
    "titre",
    "departement",
    "referent",
    "constat",
    "objectif_operationnel",
    "description",
    "acteurs",
    "financements",
    "calendrier",
    "indicateurs_quantitatifs",
    "indicateurs_qualitatifs",
    "points_vigilance",
    "valeurs_indicateurs",
]


@pytest.fixture
def creuse_file(tmp_path, creuse_docx):
    path = tmp_path / "creuse_2025_2027.docx"
    path.write_bytes(creuse_docx)
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_fiches", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_dry_run_json_shape(creuse_file):
    out, err = run(creuse_file, "--dry-run", "--format", "json")
    data = json.loads(out)  # exactement un objet JSON
    assert list(data) == ["fiches", "warnings"]
    assert len(data["fiches"]) == 17
    for fiche in data["fiches"]:
        assert list(fiche) == FICHE_KEYS
        assert isinstance(fiche["numero"], int)
        assert all(isinstance(n, int) for n in fiche["objectifs"])
        for key in ("titre", "departement", "referent", "constat", "description"):
            assert isinstance(fiche[key], str)
        for key in FICHE_KEYS[8:]:
            assert isinstance(fiche[key], list)
        for row in fiche["financements"]:
            assert list(row) == ["financeur", "montant", "valorisation", "note"]
            assert row["montant"] is None or isinstance(row["montant"], int | float)
            assert isinstance(row["valorisation"], bool)
    assert data["fiches"][7]["financements"] == [
        {
            "financeur": "ondam",
            "montant": None,
            "valorisation": False,
            "note": "Financement 100% ONDAM",
        }
    ]
    assert "Nombre d'IP entrantes" in data["fiches"][5]["indicateurs_quantitatifs"]
    assert data["fiches"][5]["valeurs_indicateurs"][:2] == [
        {
            "indicateur": "Nombre d'IP entrantes",
            "annee": 2023,
            "valeur": 424,
            "texte": "Nombre d'IP entrantes : 2023 : 424",
        },
        {
            "indicateur": "Nombre d'IP entrantes",
            "annee": 2024,
            "valeur": 598,
            "texte": "Nombre d'IP entrantes en 2024 : 598",
        },
    ]
    assert data["warnings"] == [{"fiche": 15, "message": data["warnings"][0]["message"]}]
    assert "«" in out  # ensure_ascii=False
    assert err == ""


@pytest.mark.django_db
def test_dry_run_checks_objectifs_against_the_referentiel(tmp_path):
    path = tmp_path / "f.docx"
    path.write_bytes(build_docx(FicheSpec(objectif_line="OBJECTIF N°99")))
    data = json.loads(run(path, "--dry-run", "--format", "json")[0])
    assert {"fiche": 1, "message": "Objectif n°99 absent du référentiel."} in data["warnings"]


@pytest.mark.django_db
def test_dry_run_text(creuse_file):
    out, _ = run(creuse_file, "--dry-run")
    assert out.startswith("17 fiche(s) reconnue(s) (rien n'est enregistré) :")
    assert "- Fiche n°8 – Dispositif interdépartemental" in out
    assert "indicateur(s) ; 11 champs sur 11 reconnus\n" in out
    assert "Fiche n°15 : Moyens financiers" in out


@pytest.mark.django_db
def test_dry_run_saves_nothing(creuse_file):
    contrat = ContratFactory()
    run(creuse_file, "--dry-run", "--departement", "23", "--format", "json")
    assert not FicheAction.objects.filter(contrat=contrat).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (
            b"%PDF-1.4 ...",
            "Ce fichier n'est pas un document Word (.docx) ou OpenDocument (.odt) lisible.",
        ),
        (b"PK\x03\x04abime", "Ce document est endommagé"),
    ],
)
@pytest.mark.django_db
def test_unreadable_file_is_a_command_error(tmp_path, content, message):
    path = tmp_path / "fiches.docx"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        run(path, "--dry-run", "--format", "json")
    assert str(raised.value).startswith(message)


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(tmp_path / "absent.docx", "--dry-run")


def test_departement_is_required_without_dry_run(creuse_file):
    with pytest.raises(CommandError, match="--departement"):
        run(creuse_file)


@pytest.mark.django_db
def test_unknown_contrat(creuse_file):
    with pytest.raises(CommandError, match="Aucun contrat 2025-2027 pour le département 75"):
        run(creuse_file, "--departement", "75")


@pytest.mark.django_db
def test_error_goes_to_stderr_with_exit_code_1(tmp_path, monkeypatch):
    """Comme en ligne de commande : une ligne en français sur la sortie d'erreur, code 1,
    rien sur la sortie standard."""
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "import_fiches", str(path), "--dry-run"])
    assert exited.value.code == 1
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "CommandError: Ce fichier n'est pas un document Word (.docx) ou OpenDocument (.odt) "
        "lisible.\n"
    )


@pytest.mark.django_db
def test_import_saves_the_fiches(creuse_file):
    """Sans --dry-run : les fiches sont enregistrées par `documents.services.fiches_import`."""
    contrat = ContratFactory()
    out, _ = run(creuse_file, "--departement", "23")
    assert "17 fiche(s) créée(s)" in out
    fiches = FicheAction.objects.filter(contrat=contrat)
    assert fiches.count() == 17
    fiche = fiches.get(numero=8)
    assert sorted(fiche.objectifs.values_list("numero", flat=True)) == [13, 14]
    again, _ = run(creuse_file, "--departement", "23", "--format", "json")
    assert json.loads(again)["enregistrement"] == {"creation": 0, "mise_a_jour": 0, "inchangee": 17}


@pytest.mark.django_db
def test_saving_not_available_yet(creuse_file, monkeypatch):
    import sys

    ContratFactory()
    monkeypatch.setitem(sys.modules, "pilotage.documents.services", None)
    with pytest.raises(CommandError, match="L'enregistrement n'est pas encore disponible"):
        run(creuse_file, "--departement", "23")


def test_dry_run_on_a_database_never_migrated_says_in_one_french_line_what_to_run(
    tmp_path, creuse_file
):
    """Installation neuve : la base existe (fichier SQLite vide) mais n'a aucune table."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    empty = tmp_path / "vide.sqlite3"
    empty.write_bytes(b"")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{empty}", "DJANGO_ENV": "development"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_fiches", str(creuse_file), "--dry-run"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "CommandError: La base de données n'est pas encore créée ou pas à jour : lancez "
        "« make migrate » (ou « python manage.py migrate »), puis relancez cette commande."
    ]

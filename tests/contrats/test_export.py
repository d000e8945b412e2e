"""Commande `export_contrat` : le contrat entier en JSON (docs/format-export-contrat.md)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.contrats import services
from pilotage.contrats.models import Contrat, Jalon
from pilotage.referentiel.models import IndicateurNational
from pilotage.territoires.models import Departement
from tests.factories import InstitutionFactory, UserFactory, grant, make_fiche

FICHE_KEYS = {
    "numero",
    "titre",
    "objectifs",
    "entete_objectifs",
    "departement_libelle",
    "referent",
    "referents_utilisateurs",
    "constat",
    "objectif_operationnel",
    "description",
    "acteurs",
    "moyens_texte",
    "financements",
    "calendrier_texte",
    "jalons",
    "indicateurs",
    "points_vigilance",
    "etat",
    "motif_abandon",
    "fiche_beneficiaire",
    "a_impact",
    "version",
}


def create_contract(departement_code="23", nb_fiches=2) -> Contrat:
    departement = Departement.objects.get(code=departement_code)
    prefecture = InstitutionFactory(nom=f"Préfecture {departement.nom}", departement=departement)
    contrat = services.contrat_create(
        departement=departement,
        generation=IndicateurNational.objects.first().generation,
        statut=Contrat.Statut.SIGNE,
        date_signature=datetime.date(2025, 7, 3),
        annee_premiere_contractualisation=2021,
        signataires=[
            {"institution": prefecture, "fonction": f"Préfet – {departement.nom}"},
            {"fonction": "Présidente du conseil départemental", "nom": "Mme la Présidente"},
        ],
    )
    for numero in range(1, nb_fiches + 1):
        make_fiche(contrat, numero=numero, objectifs=(1, 2))
    return contrat


@pytest.fixture
def creuse_contract(db):
    contrat = create_contract("23", nb_fiches=2)
    fiche1, fiche2 = contrat.fiches.order_by("numero")
    referent = UserFactory(email="referente@exemple.test")
    grant(referent, contrat, "referent")
    national = IndicateurNational.objects.filter(generation=contrat.generation).first()
    indicateurs = [
        {
            "nature": "quantitatif",
            "libelle": "Part des femmes enceintes ayant bénéficié d'un EPP",
            "indicateur_national": national,
            "unite": "pourcentage",
            "sens": "hausse",
            "valeur_reference": Decimal("6.8"),
            "annee_reference": 2024,
            "cible": Decimal("20"),
        }
    ]
    fiche1 = services.fiche_update(
        fiche=fiche1,
        user=None,
        expected_version=1,
        fields={"etat": "en_cours", "a_impact": True},
        referents=[referent],
        indicateurs=indicateurs,
    )
    Jalon.objects.filter(fiche=fiche1).update(
        date_prevue=datetime.date(2025, 12, 31), date_realisation=datetime.date(2025, 11, 2)
    )
    services.fiche_update(
        fiche=fiche2,
        user=None,
        expected_version=1,
        fields={
            "etat": "abandonnee",
            "motif_abandon": "Action reprise par la fiche 1.",
            "fiche_beneficiaire": fiche1,
        },
    )
    return contrat


def export_to_file(tmp_path, *args) -> dict:
    path = tmp_path / "contrat.json"
    call_command("export_contrat", "--departement", "23", *args, "-o", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_export_file_has_the_documented_top_level_keys(creuse_contract, tmp_path):
    data = export_to_file(tmp_path)
    assert set(data) >= {"format", "version_format", "exporte_le", "contrat", "fiches"}
    assert (data["format"], data["version_format"]) == ("pilotage-partage/contrat", 1)
    assert datetime.datetime.fromisoformat(data["exporte_le"])


def test_the_export_describes_the_contract_and_its_signatories(creuse_contract, tmp_path):
    contrat = export_to_file(tmp_path)["contrat"]
    region = creuse_contract.departement.region
    assert contrat == {
        "departement": {"code": "23", "nom": "Creuse"},
        "region": {"code": region.code, "nom": region.nom},
        "generation": "2025-2027",
        "statut": "signe",
        "date_signature": "2025-07-03",
        "annee_premiere_contractualisation": 2021,
        "signataires": [
            {"institution": "Préfecture Creuse", "fonction": "Préfet – Creuse", "nom": ""},
            {
                "institution": None,
                "fonction": "Présidente du conseil départemental",
                "nom": "Mme la Présidente",
            },
        ],
    }


def test_each_fiche_is_exported_with_its_rubrics_and_lists(creuse_contract, tmp_path):
    fiches = export_to_file(tmp_path)["fiches"]
    assert [f["numero"] for f in fiches] == [1, 2]
    fiche = fiches[0]
    assert set(fiche) >= FICHE_KEYS
    assert fiche["titre"] == "Fiche de test n°1"
    assert fiche["objectifs"] == [1, 2]
    assert fiche["referents_utilisateurs"] == ["referente@exemple.test"]
    assert fiche["acteurs"] == [
        {"nom": "CH", "implication": "", "retire_le": None},
        {"nom": "ARS", "implication": "", "retire_le": None},
    ]
    assert fiche["financements"] == [
        {
            "financeur": "etat",
            "libelle": "",
            "montant": 14574,
            "annee": None,
            "valorisation": False,
            "note": "",
        },
        {
            "financeur": "cd",
            "libelle": "",
            "montant": 14574,
            "annee": None,
            "valorisation": True,
            "note": "",
        },
    ]
    assert fiche["jalons"] == [
        {
            "libelle": "Signature de la convention",
            "periode": "2025",
            "date_prevue": "2025-12-31",
            "date_realisation": "2025-11-02",
            "retire_le": None,
        }
    ]
    [indicateur] = fiche["indicateurs"]
    national = IndicateurNational.objects.filter(generation=creuse_contract.generation).first()
    assert {k: v for k, v in indicateur.items() if k != "valeurs"} == {
        "nature": "quantitatif",
        "libelle": "Part des femmes enceintes ayant bénéficié d'un EPP",
        "indicateur_national": national.libelle,
        "unite": "%",
        "unite_code": "pourcentage",
        "sens": "hausse",
        "valeur_reference": 6.8,
        "annee_reference": 2024,
        "cible": 20,
        "valeur_texte": "",
        "retire_le": None,
    }
    assert fiche["points_vigilance"] == ["Natalité en baisse"]
    assert (fiche["etat"], fiche["a_impact"], fiche["version"]) == ("en_cours", True, 2)


def test_an_abandoned_fiche_exports_its_reason_and_the_fiche_receiving_its_credits(
    creuse_contract, tmp_path
):
    fiche = export_to_file(tmp_path)["fiches"][1]
    assert (fiche["etat"], fiche["motif_abandon"], fiche["fiche_beneficiaire"]) == (
        "abandonnee",
        "Action reprise par la fiche 1.",
        1,
    )


def test_the_export_file_is_utf8_without_escaped_accents(creuse_contract, tmp_path):
    path = tmp_path / "contrat.json"
    call_command("export_contrat", "--departement", "23", "--format", "json", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert "Présidente du conseil départemental" in text
    assert "\\u00e9" not in text


def test_writing_to_a_file_reports_it_on_stderr_and_prints_nothing_on_stdout(
    creuse_contract, tmp_path
):
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "contrat.json"
    call_command("export_contrat", "--departement", "23", "-o", str(path), stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert f"Contrat exporté dans {path}." in err.getvalue()


def test_without_an_output_file_the_json_goes_to_stdout(creuse_contract, capsys):
    call_command("export_contrat", "--departement", "23")
    data = json.loads(capsys.readouterr().out)
    assert data["contrat"]["departement"]["code"] == "23"
    assert [f["numero"] for f in data["fiches"]] == [1, 2]


def test_stdout_output_goes_through_the_commands_stdout(creuse_contract):
    out = io.StringIO()
    call_command("export_contrat", "--departement", "23", stdout=out)
    assert json.loads(out.getvalue())["contrat"]["departement"]["code"] == "23"


def test_the_stdout_and_file_exports_have_the_same_content(creuse_contract, tmp_path):
    out = io.StringIO()
    call_command("export_contrat", "--departement", "23", stdout=out)
    from_stdout, from_file = json.loads(out.getvalue()), export_to_file(tmp_path)
    from_stdout.pop("exporte_le"), from_file.pop("exporte_le")
    assert from_stdout == from_file


def test_an_unknown_departement_gives_a_french_error(creuse_contract):
    with pytest.raises(CommandError, match=r"^Aucun contrat 2025-2027 pour le département 99\.$"):
        call_command("export_contrat", "--departement", "99")


def test_a_departement_without_contract_gives_a_french_error(creuse_contract):
    with pytest.raises(CommandError, match="Aucun contrat 2025-2027 pour le département 41"):
        call_command("export_contrat", "--departement", "41")


def test_an_unknown_generation_gives_a_french_error(creuse_contract):
    with pytest.raises(CommandError, match="Aucun contrat 2031-2033 pour le département 23"):
        call_command("export_contrat", "--departement", "23", "--generation", "2031-2033")


def test_the_departement_option_is_required(db):
    with pytest.raises(CommandError, match="--departement"):
        call_command("export_contrat")


def test_the_export_only_contains_the_requested_departement(creuse_contract, tmp_path):
    create_contract("19", nb_fiches=3)
    data = export_to_file(tmp_path)
    assert data["contrat"]["departement"]["code"] == "23"
    assert len(data["fiches"]) == 2


#: Requêtes de l'export, observées avec 3 fiches (plus une de marge).
MAX_EXPORT_QUERIES = 15 + 1  # dont 2 pour les rapports d'exécution et leurs versions


def export_queries(departement_code: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call_command("export_contrat", "--departement", departement_code, stdout=io.StringIO())
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("departement_code", "nb_fiches"), [("23", 3), ("19", 30)])
def test_export_queries_stay_under_the_same_bound_for_3_and_30_fiches(
    db, django_assert_max_num_queries, departement_code, nb_fiches
):
    create_contract(departement_code, nb_fiches=nb_fiches)
    with django_assert_max_num_queries(MAX_EXPORT_QUERIES):
        call_command("export_contrat", "--departement", departement_code, stdout=io.StringIO())


def test_export_queries_are_identical_for_3_and_30_fiches(db):
    create_contract("23", nb_fiches=3)
    create_contract("19", nb_fiches=30)
    assert export_queries("23") == export_queries("19")


# --- téléchargement depuis la page du contrat ----------------------------------------


def test_the_json_download_does_not_reveal_another_institutions_draft_releve(
    creuse_contract, client
):
    from pilotage.suivi.models import Releve
    from pilotage.suivi.services import releve_create

    fiche = creuse_contract.fiches.get(numero=1)
    qualitatif = fiche.indicateurs.create(nature="qualitatif", libelle="Qualité de l'accueil")
    author = UserFactory(institution=InstitutionFactory(nom="Conseil départemental"))
    grant(author, creuse_contract, "pilote")
    releve = releve_create(
        fiche=fiche,
        user=author,
        indicateur=qualitatif,
        date_observation=datetime.date(2026, 3, 2),
        situation="Entretien",
        questions="Accueil des familles",
        faits="Observation encore en brouillon",
    )
    reader = UserFactory(institution=InstitutionFactory(nom="Caisse d'allocations familiales"))
    grant(reader, creuse_contract, "lecteur")
    assert not Releve.objects.visibles_par(reader).filter(pk=releve.pk).exists()

    client.force_login(reader)
    response = client.get(f"/contrats/{creuse_contract.pk}/export.json")
    assert response.status_code == 200
    assert "Observation encore en brouillon" not in response.content.decode()


def test_an_output_folder_that_does_not_exist_gives_a_french_error(creuse_contract, tmp_path):
    missing = tmp_path / "absent" / "contrat.json"
    with pytest.raises(CommandError, match="Vérifiez que le dossier existe"):
        call_command("export_contrat", "--departement", "23", "-o", str(missing))

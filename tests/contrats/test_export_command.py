import json

import pytest
from django.core.management import CommandError, call_command

from pilotage.demo.services import demo_load


@pytest.fixture
def demo(db):
    demo_load()


def test_export_writes_the_whole_contract_as_documented_json(demo, tmp_path):
    path = tmp_path / "contrat.json"
    call_command("export_contrat", "--departement", "23", "--format", "json", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version_format"]) == ("pilotage-partage/contrat", 1)
    assert data["contrat"]["departement"] == {"code": "23", "nom": "Creuse"}
    assert data["contrat"]["generation"] == "2025-2027"
    assert len(data["contrat"]["signataires"]) == 3
    assert [f["numero"] for f in data["fiches"]] == list(range(1, 18))
    fiche1 = data["fiches"][0]
    assert fiche1["objectifs"] == [1]
    assert fiche1["financements"][:2] == [
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
            "note": "valorisation",
        },
    ]
    for key in ("jalons", "indicateurs", "points_vigilance", "acteurs", "etat", "a_impact"):
        assert key in fiche1
    assert data["fiches"][1]["indicateurs"][0]["indicateur_national"]


def test_export_goes_to_stdout_without_output_file(demo, capsys):
    call_command("export_contrat", "--departement", "23")
    assert json.loads(capsys.readouterr().out)["contrat"]["departement"]["code"] == "23"


def test_unknown_contract_gives_a_french_error(demo):
    with pytest.raises(CommandError, match="Aucun contrat 2025-2027 pour le département 75"):
        call_command("export_contrat", "--departement", "75")


def test_export_json_download_from_the_contract_page(demo, client):
    from pilotage.contrats.models import Contrat

    contrat = Contrat.objects.get(departement__code="23")
    client.login(username="lecteur@demo.pilotage.test", password="demo-pilotage-2025")
    response = client.get(f"/contrats/{contrat.pk}/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="contrat-23-2025-2027.json"'
    assert len(json.loads(response.content)["fiches"]) == 17

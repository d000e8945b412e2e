"""L'export JSON du contrat est compact (un tiers de moins qu'indenté sur un contrat
suivi, issue 15) ; `?lisible=1` le rend indenté ; le contenu est le même."""

import json

import pytest

from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db


@pytest.fixture
def contrat_et_pilote():
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, numero=1, user=pilote)
    return contrat, pilote


def test_the_json_export_is_compact_unless_asked_to_be_readable(client, contrat_et_pilote):
    contrat, pilote = contrat_et_pilote
    client.force_login(pilote)
    compact = client.get(f"/contrats/{contrat.pk}/export.json").content.decode()
    lisible = client.get(f"/contrats/{contrat.pk}/export.json?lisible=1").content.decode()
    assert "\n" not in compact and '": ' not in compact
    assert lisible.startswith('{\n  "format": ')
    without_date = [json.loads(text) for text in (compact, lisible)]
    for data in without_date:
        data.pop("exporte_le")
    assert without_date[0] == without_date[1]
    assert without_date[0]["fiches"][0]["numero"] == 1

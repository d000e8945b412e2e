"""« Rejoindre la visioconférence » n'est proposé que tant que la réunion n'est pas finie :
ni le compte rendu ni la page d'une réunion passée ne l'offrent."""

import pytest

from tests.factories import make_comite_suivi
from tests.reunions.helpers import at, url

LIEN = "https://webconf.numerique.gouv.fr/comite-23"


@pytest.mark.parametrize("page", ["detail", "dossier", "compte_rendu"])
def test_an_upcoming_meeting_offers_to_join(client, contrat, pilote, fiches, page):
    reunion = make_comite_suivi(contrat, pilote, when=at(2), lien_visio=LIEN)
    client.force_login(pilote)
    assert "Rejoindre la visioconférence" in client.get(url(page, reunion)).content.decode()


@pytest.mark.parametrize("page", ["detail", "dossier", "compte_rendu"])
def test_a_past_meeting_no_longer_offers_to_join(client, contrat, pilote, fiches, page):
    reunion = make_comite_suivi(contrat, pilote, when=at(-2), lien_visio=LIEN)
    client.force_login(pilote)
    body = client.get(url(page, reunion)).content.decode()
    assert "Rejoindre la visioconférence" not in body
    assert LIEN not in body

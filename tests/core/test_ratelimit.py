"""Téléchargements coûteux limités par personne : au-delà de EXPORTS_PER_MINUTE dans la
minute, 429 en français avec Retry-After ; les autres personnes ne sont pas touchées."""

import pytest

from pilotage.contrats.models import Habilitation
from pilotage.core.ratelimit import EXPORTS_PER_MINUTE
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


@pytest.fixture
def contrat(db):
    return ContratFactory()


def _lecteur(contrat):
    user = UserFactory()
    grant(user, contrat, Habilitation.Role.LECTEUR)
    return user


def test_the_export_after_the_limit_answers_429_in_french_with_retry_after(client, contrat):
    client.force_login(_lecteur(contrat))
    url = f"/contrats/{contrat.pk}/indicateurs.csv"
    for _ in range(EXPORTS_PER_MINUTE):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    # « 1 seconde » au singulier quand la minute s'achève (le test échouait alors).
    delay = "1 seconde" if wait == 1 else f"{wait} secondes"
    assert (
        f"Trop de téléchargements en peu de temps : réessayez dans {delay}."
        in response.content.decode()
    )


def test_the_limit_is_shared_by_every_expensive_export(client, contrat):
    make_fiche(contrat, 1)
    client.force_login(_lecteur(contrat))
    for _ in range(EXPORTS_PER_MINUTE):
        client.get(f"/contrats/{contrat.pk}/indicateurs.csv")
    assert client.get(f"/contrats/{contrat.pk}/fiches/1/export.docx").status_code == 429
    assert client.get(f"/contrats/{contrat.pk}/fiches/1/calendrier.pdf").status_code == 429


def test_another_person_is_not_affected(client, contrat):
    url = f"/contrats/{contrat.pk}/indicateurs.csv"
    client.force_login(_lecteur(contrat))
    for _ in range(EXPORTS_PER_MINUTE + 1):
        client.get(url)
    client.force_login(_lecteur(contrat))
    assert client.get(url).status_code == 200


def test_the_counter_starts_again_in_the_next_minute(client, contrat, rate_limit_clock):
    url = f"/contrats/{contrat.pk}/indicateurs.csv"
    client.force_login(_lecteur(contrat))
    for _ in range(EXPORTS_PER_MINUTE):
        client.get(url)
    assert client.get(url).status_code == 429
    rate_limit_clock.now += 60
    assert client.get(url).status_code == 200


def test_the_wait_announced_is_what_remains_of_the_minute(client, contrat, rate_limit_clock):
    url = f"/contrats/{contrat.pk}/indicateurs.csv"
    client.force_login(_lecteur(contrat))
    for _ in range(EXPORTS_PER_MINUTE):
        client.get(url)
    rate_limit_clock.now += 29.5  # la fenêtre s'achève dans une demi-seconde
    response = client.get(url)
    assert response["Retry-After"] == "1"
    assert "réessayez dans 1 seconde." in response.content.decode()

"""Pages de la réunion, du dossier de préparation, du compte rendu, de la séance et du
calendrier d'une fiche : nombre de requêtes borné (le gain de l'issue 15 gardé) et réunion
prise parmi celles du contrat (une réunion d'un autre contrat, même visible, répond 404)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.models import Jalon
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, grant, make_comite_suivi, make_fiche
from tests.reunions.helpers import url


@pytest.fixture
def reunions(contrat, pilote):
    """Trois fiches, une réunion passée et une à venir."""
    for numero in (1, 2, 3):
        make_fiche(contrat, numero, user=pilote)
    now = timezone.now()
    passee = make_comite_suivi(contrat, pilote, now - datetime.timedelta(days=100))
    prochaine = make_comite_suivi(contrat, pilote, now + datetime.timedelta(days=5))
    return passee, prochaine


#: Nombre observé (session, utilisateur, contrat, habilitations, institution du menu et
#: compteur « Mes tâches » compris) : une requête de plus échoue.
MAX_QUERIES = {"detail": 11, "dossier": 15, "compte_rendu": 14, "seance": 16}


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_the_meeting_pages_stay_under_their_number_of_queries(
    client, pilote, reunions, name, django_assert_max_num_queries
):
    client.force_login(pilote)
    client.get(url(name, reunions[1]))
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url(name, reunions[1]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_a_meeting_of_another_visible_contract_answers_404(client, pilote, reunions, name):
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    grant(pilote, autre)
    ailleurs = make_comite_suivi(autre, pilote)
    client.force_login(pilote)
    path = url(name, reunions[1]).replace(f"/{reunions[1].pk}/", f"/{ailleurs.pk}/")
    assert client.get(path).status_code == 404
    assert client.get(url(name, ailleurs)).status_code == 200


def test_the_fiche_calendar_reads_the_late_badge_with_the_fiche(
    client, contrat, pilote, reunions, django_assert_max_num_queries
):
    fiche = contrat.fiches.get(numero=1)
    Jalon.objects.create(
        fiche=fiche, libelle="Étape en retard", date_prevue=datetime.date(2025, 1, 1)
    )
    client.force_login(pilote)
    path = reverse("reunions:fiche_calendrier", args=[contrat.pk, 1])
    client.get(path)
    with django_assert_max_num_queries(13):
        response = client.get(path)
    assert "En retard" in response.content.decode()

"""Le nombre de requêtes des pages ne dépend pas du nombre de fiches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

# Plafonds mesurés avec 3 fiches ; ils doivent tenir avec 30.
MAX_QUERIES = {"contrat": 11, "contrat_filtre": 10, "fiche": 14, "historique": 9, "export": 16}


def _pages(contrat):
    base = f"/contrats/{contrat.pk}"
    return {
        "contrat": f"{base}/",
        "contrat_filtre": f"{base}/?etat=en_cours&a_impact=on&objectif=1",
        "fiche": f"{base}/fiches/2/",
        "historique": f"{base}/fiches/2/historique/",
        "export": f"{base}/export.json",
    }


@pytest.mark.parametrize("nb_fiches", [3, 30])
@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_page_queries_are_bounded_whatever_the_number_of_fiches(
    client, db, django_assert_max_num_queries, nb_fiches, page
):
    contrat = ContratFactory()
    for numero in range(1, nb_fiches + 1):
        make_fiche(contrat, numero=numero, objectifs=(1, 2))
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    url = _pages(contrat)[page]
    client.get(url)  # sessions et caches chauds
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


def test_query_counts_are_identical_for_3_and_30_fiches(client, db):
    counts = {}
    for nb in (3, 30):
        departement = Departement.objects.get(code="23" if nb == 3 else "19")
        contrat = ContratFactory(departement=departement)
        for numero in range(1, nb + 1):
            make_fiche(contrat, numero=numero)
        user = UserFactory()
        grant(user, contrat)
        client.force_login(user)
        counts[nb] = {}
        for name, url in _pages(contrat).items():
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            counts[nb][name] = len(ctx.captured_queries)
    assert counts[3] == counts[30]

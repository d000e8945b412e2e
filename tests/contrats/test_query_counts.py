"""Le nombre de requêtes des pages ne grandit pas avec le nombre de fiches.

Chaque page est mesurée sur un contrat de 3 fiches puis de 30 fiches (chaque fiche a
plusieurs lignes dans chaque liste, deux objectifs, deux référents, un indicateur
national) : le même plafond vaut pour les deux.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.contrats.models import Indicateur, Jalon
from pilotage.contrats.services import fiche_update
from pilotage.referentiel.models import IndicateurNational
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

#: Plafonds : nombre observé avec 3 fiches (session, utilisateur et habilitations
#: compris), plus une requête de marge. Une requête par fiche en ferait au moins 27 de plus.
#: La page du contrat compte une requête pour son bloc « Réunions de suivi » ; chaque
#: page, une pour le compteur « Mes tâches » du menu ; la page de la fiche, une pour
#: son bloc « Ressources utiles » de l'espace partagé (aucune ressource liée ici).
MAX_QUERIES = {
    "contrat": 10 + 1,
    "contrat_filtre": 11 + 1,
    "fiche": 14 + 1,
    "historique": 8 + 1,
    "modifier": 16 + 1,
}


def build_contract(nb_fiches: int, departement_code: str = "23"):
    contrat = ContratFactory(departement=Departement.objects.get(code=departement_code))
    referents = [UserFactory(), UserFactory()]
    for referent in referents:
        grant(referent, contrat, "referent")
    national = IndicateurNational.objects.filter(generation=contrat.generation).first()
    for numero in range(1, nb_fiches + 1):
        fiche = make_fiche(contrat, numero=numero, objectifs=(1, 2), etat="en_cours")
        fiche.referents.set(referents)
        Indicateur.objects.create(
            fiche=fiche, nature="qualitatif", libelle="Qualité", indicateur_national=national
        )
        Jalon.objects.create(fiche=fiche, libelle="Bilan", periode="2026")
    pilote = UserFactory()
    grant(pilote, contrat)
    return contrat, pilote


def page_url(contrat, page: str) -> str:
    base = f"/contrats/{contrat.pk}"
    return {
        "contrat": f"{base}/",
        "contrat_filtre": f"{base}/?etat=en_cours&a_impact=on&objectif=1&referent=ARS",
        "fiche": f"{base}/fiches/2/",
        "historique": f"{base}/fiches/2/historique/",
        "modifier": f"{base}/fiches/2/modifier/",
    }[page]


def count_queries(client, url: str) -> int:
    client.get(url)  # session et caches chauds
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("nb_fiches", [3, 30])
@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_page_query_count_stays_under_the_same_bound_for_3_and_30_fiches(
    client, db, django_assert_max_num_queries, page, nb_fiches
):
    contrat, pilote = build_contract(nb_fiches)
    client.force_login(pilote)
    url = page_url(contrat, page)
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_page_query_count_is_identical_for_3_and_30_fiches(client, db, page):
    counts = []
    for nb_fiches, departement_code in ((3, "23"), (30, "19")):
        contrat, pilote = build_contract(nb_fiches, departement_code)
        client.force_login(pilote)
        counts.append(count_queries(client, page_url(contrat, page)))
    assert counts[0] == counts[1]


def test_history_query_count_does_not_grow_with_the_number_of_revisions(client, db):
    contrat, pilote = build_contract(3)
    client.force_login(pilote)
    fiche = contrat.fiches.get(numero=2)
    url = page_url(contrat, "historique")
    with_one_revision = count_queries(client, url)
    authors = [UserFactory() for _ in range(5)]
    for version in range(1, 11):
        fiche_update(
            fiche=fiche,
            user=authors[version % 5],
            expected_version=version,
            fields={"titre": f"Titre {version}", "constat": f"Constat {version}"},
        )
    assert count_queries(client, url) == with_one_revision

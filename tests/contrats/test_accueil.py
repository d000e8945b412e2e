"""Page d'accueil : ce qui attend la personne (tâches, prochaines réunions, décisions
ouvertes), en un nombre de requêtes qui ne grandit pas avec les données ; compteur
« Mes tâches » du menu."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotage.core import attente
from pilotage.referentiel.models import Generation
from pilotage.suivi.models import Releve
from pilotage.suivi.tasks import nombre_taches, taches_de
from pilotage.territoires.models import Departement
from tests.factories import (
    ContratFactory,
    DecisionFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)


def build(size: int, start: int = 0):
    """Un pilote et `size` contrats, chacun avec une réunion passée portant une décision
    ouverte, une réunion à venir et des relevés à relire de son institution."""
    institution = InstitutionFactory()
    pilote = UserFactory(institution=institution)
    for departement in Departement.objects.order_by("code")[start : start + size]:
        contrat = ContratFactory(departement=departement)
        grant(pilote, contrat)
        auteur = UserFactory(institution=institution)
        grant(auteur, contrat, "contributeur")
        fiche = make_fiche(contrat, numero=1, user=pilote)
        passee = make_reunion(contrat, pilote, timezone.now() - datetime.timedelta(days=10))
        DecisionFactory(
            point=passee.points.get(fiche=fiche), auteur=pilote, texte="Associer la CAF au comité"
        )
        make_reunion(contrat, pilote, timezone.now() + datetime.timedelta(days=20))
        indicateur = fiche.indicateurs.create(nature="qualitatif", libelle="Qualité")
        Releve.objects.create(
            fiche=fiche,
            indicateur=indicateur,
            auteur=auteur,
            institution=institution,
            date_observation=datetime.date(2026, 1, 15),
            situation="Entretien avec les familles",
        )
    return pilote


def home_queries(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_home_page_shows_tasks_next_meetings_and_open_decisions(client, db):
    pilote = build(1)
    client.force_login(pilote)
    _count, page = home_queries(client)
    assert "Mes tâches" in page and "1 relevé à relire" in page
    assert "Voir mes 1 tâche" in page
    assert "Prochaines réunions" in page and "Comité de suivi du" in page
    assert "Décisions ouvertes" in page and "Associer la CAF au comité" in page
    assert "?statut=ouvertes" in page


def test_the_home_page_query_count_does_not_grow_with_contracts_meetings_and_tasks(
    client, db, django_assert_max_num_queries
):
    small, _ = home_queries_for(client, build(2))
    large, page = home_queries_for(client, build(12, start=2))
    assert "12 relevés à relire" in page
    assert large == small
    # Observé, plus une de marge ; le bloc « Mes tâches » ne lit que les nombres de ses
    # rubriques, en une requête qui sert aussi le compteur du menu.
    assert small <= 8 + 1


def test_the_home_block_and_the_menu_counter_share_one_count_query_per_request(client, db):
    pilote = build(2)
    client.force_login(pilote)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    counts = [q for q in ctx.captured_queries if "suivi_plancollecte" in q["sql"]]
    assert len(counts) == 1
    assert "2 relevés à relire" in page
    assert 'id="compteur-taches">2<span class="fr-sr-only"> en attente</span></span>' in page
    # Une autre requête lit à neuf : le nombre n'est gardé que le temps d'une requête.
    Releve.objects.filter(statut=Releve.Statut.BROUILLON).first().delete()
    page = client.get("/").content.decode()
    assert "1 relevé à relire" in page
    assert 'id="compteur-taches">1<span class="fr-sr-only"> en attente</span></span>' in page


def home_queries_for(client, user):
    client.force_login(user)
    return home_queries(client)


def test_a_person_with_nothing_waiting_is_told_so(client, db):
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert "Rien en attente pour vous." in page
    assert "Aucune réunion planifiée." in page and "Aucune décision ouverte." in page
    assert 'id="compteur-taches"' not in page


def test_the_menu_counter_is_the_tasks_total_in_one_query(client, db, django_assert_num_queries):
    pilote = build(3)
    today = timezone.localdate()
    with django_assert_num_queries(1):
        assert nombre_taches(pilote, today) == 3
    assert taches_de(pilote, today).total == 3
    client.force_login(pilote)
    page = client.get("/taches/").content.decode()
    assert 'id="compteur-taches">3<span class="fr-sr-only"> en attente</span></span>' in page


def test_the_menu_counter_costs_no_query_for_an_anonymous_visitor(client, db):
    with CaptureQueriesContext(connection) as ctx:
        client.get("/comptes/connexion/")
    assert not any("suivi_releve" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("key", ["taches", "prochaines_reunions", "decisions_ouvertes"])
def test_the_blocks_are_registered_by_the_apps_that_know_them(key):
    assert key in [bloc.key for bloc in attente.BLOCS]


@pytest.mark.django_db
def test_home_lists_contracts_by_departement_then_latest_generation_whatever_their_creation_order(
    client,
):
    # Créés dans l'ordre inverse de celui attendu : la lecture groupée (nombre de fiches)
    # ne reprend pas d'elle-même l'ordre du modèle (PostgreSQL rendait la Creuse
    # 2020-2024 avant 2025-2027).
    pilote = UserFactory()
    ordre = [("87", "2020-2024"), ("87", "2025-2027"), ("23", "2020-2024"), ("23", "2025-2027")]
    for code, generation in ordre:
        contrat = ContratFactory(
            departement=Departement.objects.get(code=code),
            generation=Generation.objects.get(code=generation),
        )
        grant(pilote, contrat)
    client.force_login(pilote)
    page = client.get("/").content.decode()
    positions = [page.index(f"{Departement.objects.get(code=c).nom} – {g}") for c, g in ordre]
    assert positions[::-1] == sorted(positions)

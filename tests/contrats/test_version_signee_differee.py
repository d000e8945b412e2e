"""La copie figée du contrat signé (`Contrat.version_signee`, plus de 100 Ko par contrat,
dans sa table `VersionSignee`) n'est lue par aucune liste : l'accueil national, l'accueil
régional et « Mes tâches » ne lisent pas sa table (issue 15 : l'accueil national chargeait
101 copies à chaque affichage). Le contrat chargé par sa page la garde à portée : elle se
charge à la demande."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, VersionSignee
from pilotage.suivi.models import PlanCollecte, Releve
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

pytestmark = pytest.mark.django_db

VERSIONS = VersionSignee._meta.db_table


@pytest.fixture
def signes(db):
    """Trois contrats signés de Nouvelle-Aquitaine, chacun avec sa version figée, une
    réunion passée (décision ouverte), une réunion à venir, un relevé à relire et une
    collecte à faire : chaque bloc de l'accueil et de « Mes tâches » a une ligne."""
    institution = InstitutionFactory()
    pilote = UserFactory(institution=institution)
    for code in ("19", "23", "87"):
        contrat = ContratFactory(departement=Departement.objects.get(code=code))
        grant(pilote, contrat)
        auteur = UserFactory(institution=institution)
        grant(auteur, contrat, "contributeur")
        fiche = make_fiche(contrat, numero=1, user=pilote)
        contrats_services.contrat_sign(contrat=contrat, date_signature=datetime.date(2025, 6, 1))
        passee = make_reunion(contrat, pilote, timezone.now() - datetime.timedelta(days=10))
        DecisionFactory(point=passee.points.get(fiche=fiche), auteur=pilote, texte="Associer")
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
        PlanCollecte.objects.create(
            indicateur=indicateur,
            referent_collecte=pilote,
            methode="observation",
            frequence="annuelle",
            prochaine_echeance=timezone.localdate() + datetime.timedelta(days=5),
        )
    assert not Contrat.objects.filter(copie_signee__isnull=True).exists()
    return pilote


def _sql_of(client, url) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


def test_the_national_home_page_does_not_select_the_signed_version(client, signes):
    client.force_login(UserFactory(perimetre="national"))
    queries, page = _sql_of(client, "/")
    assert "Creuse" in page and "Corrèze" in page
    assert any('"contrats_contrat"' in sql for sql in queries)
    assert not [sql for sql in queries if VERSIONS in sql]


def test_the_regional_home_page_does_not_select_the_signed_version(client, signes):
    region = Departement.objects.get(code="23").region
    client.force_login(UserFactory(perimetre="regional", region=region))
    queries, page = _sql_of(client, "/")
    assert "Haute-Vienne" in page
    assert not [sql for sql in queries if VERSIONS in sql]


def test_the_home_page_and_mes_taches_of_a_pilote_do_not_select_it(client, signes):
    client.force_login(signes)
    for url in ("/", "/taches/"):
        queries, page = _sql_of(client, url)
        assert "Creuse" in page
        assert not [sql for sql in queries if VERSIONS in sql], url


def test_a_visible_contract_still_reads_its_signed_version_on_demand(
    signes, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as ctx:
        contrat = Contrat.objects.visibles_par(signes).get(departement__code="23")
    assert not [q for q in ctx.captured_queries if VERSIONS in q["sql"]]
    with django_assert_num_queries(1):
        assert contrat.version_signee["fiches"][0]["numero"] == 1

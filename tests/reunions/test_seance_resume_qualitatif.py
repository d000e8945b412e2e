"""Résumé projeté en séance : un indicateur qualitatif montre son dernier relevé partagé
(jamais un brouillon), au lieu de « pas encore de valeur »."""

import datetime

import pytest

from pilotage.contrats.models import Indicateur
from pilotage.suivi.models import Releve
from tests.factories import make_comite_suivi
from tests.reunions.helpers import url

MAX_QUERIES = 40


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote)


def resume_line(page: str, libelle: str) -> str:
    """Le texte de la ligne du résumé qui commence par ce libellé d'indicateur."""
    from lxml import html

    (line,) = html.fromstring(page).xpath(f"//li[starts-with(normalize-space(), '{libelle}')]")
    return " ".join(line.text_content().split())


def releve(indicateur, auteur, jour, faits, statut=Releve.Statut.PARTAGE):
    return Releve.objects.create(
        fiche=indicateur.fiche,
        indicateur=indicateur,
        date_observation=datetime.date(2026, 5, jour),
        situation="école maternelle",
        questions="Les familles sont-elles écoutées ?",
        faits=faits,
        statut=statut,
        auteur=auteur,
    )


def test_a_qualitative_indicator_shows_its_latest_shared_releve(
    client, pilote, reunion, fiches, django_assert_max_num_queries
):
    indicateur = Indicateur.objects.create(
        fiche=fiches[0], nature="qualitatif", libelle="Ressenti des familles"
    )
    releve(indicateur, pilote, 3, "Familles mieux informées")
    releve(indicateur, pilote, 14, "Retours positifs des parents")
    releve(indicateur, pilote, 20, "Brouillon pas encore relu", Releve.Statut.BROUILLON)
    client.force_login(pilote)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url("seance_fiche", reunion, 1)).content.decode()
    line = resume_line(page, "Ressenti des familles")
    assert "relevé partagé du 14/05/2026" in line
    assert "Retours positifs des parents" in line
    assert "pas encore de valeur" not in line
    assert "Brouillon pas encore relu" not in page


def test_a_qualitative_indicator_without_shared_releve_says_so(client, pilote, reunion, fiches):
    indicateur = Indicateur.objects.create(
        fiche=fiches[0], nature="qualitatif", libelle="Ressenti des familles"
    )
    releve(indicateur, pilote, 20, "Brouillon", Releve.Statut.BROUILLON)
    client.force_login(pilote)
    page = client.get(url("seance_fiche", reunion, 1)).content.decode()
    assert "pas encore de relevé partagé" in resume_line(page, "Ressenti des familles")

"""La génération précédente (Stratégie nationale 2020-2022 prolongée jusqu'en 2024) : ses
engagements, la section « Conditions pour y parvenir », ses mesures et leurs objectifs,
tels que le rapport d'exécution 2024 de la Creuse les donne."""

import pytest

from pilotage.referentiel.models import Engagement, Generation, Mesure, Objectif
from pilotage.referentiel.services import referentiel_mesures_load
from tests.factories import UserFactory


@pytest.fixture
def previous(db):
    return Generation.objects.get(code="2020-2024")


def test_previous_generation_has_four_engagements_then_the_conditions_section(previous):
    rows = list(previous.engagements.values_list("numero", "type", "titre"))
    assert [(n, t) for n, t, _ in rows] == [
        (1, "engagement"),
        (2, "engagement"),
        (3, "engagement"),
        (4, "engagement"),
        (5, "conditions"),
    ]
    assert rows[0][2].startswith("Agir le plus précocement possible")
    assert rows[1][2] == "Sécuriser les parcours des enfants protégés et prévenir les ruptures"
    assert rows[2][2].startswith("Donner aux enfants les moyens d'agir et garantir leur")
    assert rows[3][2].startswith("Préparer leur avenir et sécuriser leur vie")
    assert str(previous.engagements.get(numero=5)) == "Conditions pour y parvenir"


def test_each_of_the_19_objectives_belongs_to_a_mesure_of_its_engagement(previous):
    objectifs = previous.objectifs.select_related("mesure")
    assert objectifs.count() == 19
    assert previous.mesures.count() == 15
    for objectif in objectifs:
        assert objectif.mesure is not None
        assert objectif.engagement_id == objectif.mesure.engagement_id


def test_a_mesure_can_hold_several_objectives(previous):
    visites = previous.mesures.get(titre__startswith="Augmenter le nombre de visites")
    assert visites.objectifs.count() == 4
    crip = previous.mesures.get(titre="Renforcer les CRIP")
    assert [o.titre[:31] for o in crip.objectifs.all()] == [
        "Renforcer les moyens, les resso",
        "Systématiser et renforcer les p",
    ]


@pytest.mark.parametrize(
    ("engagement", "statut"),
    [(1, "fondamental"), (2, "fondamental"), (3, "facultatif"), (4, "facultatif")],
)
def test_objectives_are_fundamental_or_optional_as_the_report_heads_them(
    previous, engagement, statut
):
    statuts = set(
        previous.objectifs.filter(engagement__numero=engagement).values_list("statut", flat=True)
    )
    assert statuts == {statut}


def test_conditions_objectives_have_no_stated_status(previous):
    conditions = previous.objectifs.filter(engagement__type=Engagement.Type.CONDITIONS)
    assert conditions.count() == 3
    assert set(conditions.values_list("statut", flat=True)) == {"a_completer"}


def test_only_the_numbers_the_report_gives_are_set(previous):
    assert list(previous.objectifs.exclude(numero=None).values_list("numero", "titre")) == [
        (19, "Diversifier l'offre en matière de protection de l'enfance à domicile")
    ]
    assert list(previous.mesures.exclude(numero=None).values_list("numero", flat=True)) == [14]
    assert str(previous.objectifs.get(numero=19)) == "Objectif n°19"
    assert str(previous.objectifs.get(titre="Réaliser un projet innovant")) == (
        "Objectif « Réaliser un projet innovant »"
    )


def test_the_2025_2027_objectives_have_no_mesure(generation):
    assert not generation.objectifs.exclude(mesure=None).exists()
    assert not generation.mesures.exists()


def test_loading_again_creates_nothing_and_keeps_edited_titles(previous):
    objectif = previous.objectifs.get(titre="Réaliser un projet innovant")
    Objectif.objects.filter(pk=objectif.pk).update(titre="Intitulé corrigé par l'équipe nationale")
    counts = (Engagement.objects.count(), Mesure.objects.count(), Objectif.objects.count())
    referentiel_mesures_load()
    assert (Engagement.objects.count(), Mesure.objects.count(), Objectif.objects.count()) == counts
    objectif.refresh_from_db()
    assert objectif.titre == "Intitulé corrigé par l'équipe nationale"


def test_referentiel_page_of_the_previous_generation_shows_mesures_by_engagement(client, previous):
    client.force_login(UserFactory())
    page = client.get("/referentiel/2020-2024/").content.decode()
    assert "Conditions pour y parvenir" in page
    assert "Engagement 2 : Sécuriser les parcours" in page
    assert "Mesure : Renforcer les CRIP" in page
    assert "Mesure 14 : Mobiliser l&#x27;ensemble des outils" in page
    assert "Fondamental" in page and "Facultatif" in page


def test_national_staff_edits_an_unnumbered_objective(client, previous):
    client.force_login(UserFactory(perimetre="national"))
    objectif = previous.objectifs.get(titre="Réaliser un projet innovant")
    page = client.get(f"/referentiel/objectifs/{objectif.pk}/modifier/").content.decode()
    assert "Modifier l&#x27;objectif « Réaliser un projet innovant »" in page
    response = client.post(
        f"/referentiel/objectifs/{objectif.pk}/modifier/",
        {"titre": "Réaliser un projet innovant", "statut": "facultatif"},
    )
    assert response.status_code == 302
    objectif.refresh_from_db()
    assert objectif.statut == "facultatif"

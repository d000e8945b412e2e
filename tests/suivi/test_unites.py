"""Valeurs d'indicateurs et unités : ce qui est comparé à la cible, taux au-delà de
100 % et nombre dans une série de taux signalés, axes des graphiques dans l'unité ;
fiche 2 de la démonstration (787 enfants vus pour une cible de 450)."""

from decimal import Decimal

import pytest

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.documents import dossier_content
from pilotage.reunions.models import PointOrdreDuJour
from pilotage.suivi.checks import inconsistencies
from pilotage.suivi.services import valeur_create
from pilotage.suivi.templatetags.suivi import graphique
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


@pytest.fixture
def indicateur(db):
    """« Nombre d'EPP réalisés » : un nombre."""
    return make_fiche(ContratFactory()).indicateurs.get()


@pytest.fixture
def taux(indicateur):
    indicateur.unite = "pourcentage"
    indicateur.libelle = "Taux d'EPP réalisés"
    indicateur.cible = Decimal(50)
    indicateur.save()
    return indicateur


def _value(indicateur, annee=2024, **numbers):
    return valeur_create(
        indicateur=indicateur,
        user=None,
        annee=annee,
        **{k: Decimal(v) for k, v in numbers.items()},
    )


def test_a_count_entered_as_n_out_of_total_keeps_the_count_and_shows_the_rate(indicateur):
    valeur = _value(indicateur, numerateur=787, denominateur=844)
    assert valeur.valeur_principale == Decimal(787)  # 787 enfants vus, pas 93,2 %
    assert valeur.affichage == "787 (sur 844, soit 93,2 %)"
    assert inconsistencies([valeur]) == {}


def test_a_rate_above_100_percent_is_flagged(taux):
    over = _value(taux, numerateur=120, denominateur=100)
    fine = _value(taux, annee=2025, numerateur=40, denominateur=100)
    flags = inconsistencies([over, fine])
    assert flags == {
        over.pk: [
            "Taux supérieur à 100 % (120 %) : le numérateur (120) dépasse le dénominateur (100)."
        ]
    }


def test_a_count_entered_in_a_rate_series_is_flagged(taux):
    count = _value(taux, valeur=787)
    rate = _value(taux, annee=2025, valeur="43.5")  # une valeur seule est lue en %
    flags = inconsistencies([count, rate])
    assert list(flags) == [count.pk]
    assert flags[count.pk][0].startswith("Valeur de 787 dans une série de taux (en %)")


def test_the_page_shows_a_warning_badge_for_a_rate_above_100_percent(client, taux):
    _value(taux, numerateur=120, denominateur=100)
    user = UserFactory()
    grant(user, taux.fiche.contrat)
    client.force_login(user)
    page = client.get(
        f"/contrats/{taux.fiche.contrat.pk}/fiches/{taux.fiche.numero}/indicateurs/"
    ).content.decode()
    assert "1 valeur à vérifier" in page
    assert "fr-badge--warning" in page and "À vérifier" in page
    assert "Taux supérieur à 100 %" in page


def test_a_rate_chart_runs_from_0_to_100_percent_and_labels_its_axis(taux):
    valeurs = [
        _value(taux, numerateur=20, denominateur=100),
        _value(taux, annee=2025, numerateur=150, denominateur=100),  # signalé, borné à 100
    ]
    chart = graphique(taux, valeurs)
    assert (chart["axe"], chart["top"], chart["cible"]) == ("Taux (%)", "100 %", "50 %")
    small, big = chart["bars"]
    assert (small["text"], big["text"]) == ("20 %", "150 %")
    assert big["h"] == pytest.approx(small["h"] * 5)  # 100 / 20 : la barre s'arrête en haut


def test_a_count_chart_labels_its_axis_and_scales_to_the_largest_value(indicateur):
    indicateur.unite, indicateur.cible = "etp", Decimal(4)
    indicateur.save()
    chart = graphique(indicateur, [_value(indicateur, valeur="2.2")])
    assert (chart["axe"], chart["top"], chart["cible"]) == ("ETP", "4", "4 ETP")
    assert chart["bars"][0]["text"] == "2,2 ETP"


# --- Démonstration de la Creuse ---------------------------------------------------------


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def test_fiche_2_compares_787_children_seen_with_the_target_of_450_children(demo):
    """Régression : le dossier affichait « Cible 450 % » et « 21 % de la cible » (le taux
    787 / 844 = 93 % comparé à 450) ; la cible est un nombre d'enfants, comparée au nombre."""
    point = (
        PointOrdreDuJour.objects.filter(fiche__contrat=demo, fiche__numero=2)
        .order_by("-reunion__date")
        .first()
    )
    pilote = UserFactory()
    grant(pilote, demo)
    fiche = next(f for f in dossier_content(point.reunion, viewer=pilote).fiches if f.numero == 2)
    ligne = next(i for i in fiche.indicateurs if i.libelle.startswith("Nombre d'enfants ayant"))
    assert ligne.cible == "450"
    assert ligne.valeur == "787 (sur 844, soit 93,2 %)"
    assert ligne.ecart_cible == "Cible atteinte : 175 % de la cible (objectif : augmenter)"


def test_fiche_2_indicator_page_gives_the_target_in_children_and_a_count_axis(client, demo):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get(f"/contrats/{demo.pk}/fiches/2/indicateurs/").content.decode()
    assert "Cible : 450 (objectif : augmenter)." in page
    assert "450 %" not in page
    assert '<text class="axe" x="4" y="10" font-size="11" fill="#555">Nombre</text>' in page
    assert ">787</text>" in page  # la barre trace le nombre d'enfants, pas le taux

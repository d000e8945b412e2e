"""Le contrat 2020-2024 de la Creuse (rapport d'exécution 2024) que `charger_demo` ajoute à
la démonstration : 19 fiches, leurs valeurs 2023 et 2024 et leur source, leurs états, les
moyens déplacés entre fiches."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.demo.services.precedent import demo_precedent_load, precedent_data
from pilotage.reunions.models import Decision
from pilotage.suivi.models import ValeurIndicateur
from tests.conftest import FAST_PASSWORD_HASHERS

NUMEROS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]


@pytest.fixture(scope="module")
def _precedent_module(_demo_module, django_db_blocker):
    """Le contrat précédent, chargé une fois dans la transaction de la démonstration du module."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(_demo_module), PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
    ):
        demo_precedent_load()
    return _demo_module


@pytest.fixture
def precedent(_precedent_module, demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2020-2024")


def _valeurs(contrat, numero, libelle):
    rows = ValeurIndicateur.objects.filter(
        indicateur__fiche__contrat=contrat,
        indicateur__fiche__numero=numero,
        indicateur__libelle=libelle,
    ).order_by("annee")
    return [(v.annee, v.valeur_principale, v.source) for v in rows]


def test_the_previous_contract_is_signed_first_contracted_in_2021(precedent):
    assert precedent.statut == "signe"
    assert precedent.annee_premiere_contractualisation == 2021
    assert len(precedent.version_signee["fiches"]) == 19
    assert str(precedent) == "Contrat 2020-2024 – Creuse"


def test_the_19_fiches_of_the_report_with_13_1(precedent):
    assert list(precedent.fiches.values_list("numero", flat=True)) == NUMEROS
    fiche = precedent.fiches.get(numero=13)
    assert (fiche.numero_texte, fiche.numero_affiche) == ("13-1", "13-1")
    assert fiche.titre.startswith("améliorer la prise en charge des professionnels de santé")


def test_every_fiche_links_its_objective_and_mesure_of_the_2020_2024_referentiel(precedent):
    for fiche in precedent.fiches.prefetch_related("objectifs__mesure"):
        (objectif,) = fiche.objectifs.all()
        assert objectif.generation_id == precedent.generation_id
        assert objectif.mesure is not None
    fiche_18 = precedent.fiches.get(numero=18).objectifs.get()
    assert fiche_18.numero == 19
    assert fiche_18.mesure.titre == "Soutenir la diversification de l'offre"


def test_fiche_fields_come_from_the_report(precedent):
    fiche = precedent.fiches.get(numero=1)
    assert fiche.date_mise_en_place.startswith("2ème semestre 2021")
    assert fiche.duree == "2021-2024"
    assert fiche.description.startswith("Modification de la convention CD/CHG")
    assert [a.nom for a in fiche.acteurs.all()] == ["CH", "sages-femmes libérales", "ARS", "CPAM"]


def test_fiche_6_values_of_2023_and_2024(precedent):
    assert _valeurs(precedent, 6, "Nombre d'IP entrantes") == [
        (2023, Decimal("424"), "Rapport d'exécution 2024"),
        (2024, Decimal("593"), "Rapport d'exécution 2024"),
    ]
    assert _valeurs(precedent, 6, "Nombre d'IP évaluées")[-1][:2] == (2024, Decimal("179"))
    assert _valeurs(precedent, 6, "Nombre d'IP évaluées en moins de 3 mois")[-1][:2] == (
        2024,
        Decimal("25"),
    )
    taux = ValeurIndicateur.objects.get(
        indicateur__fiche__contrat=precedent,
        indicateur__libelle="Taux d'IP évaluées sous 3 mois",
        annee=2024,
    )
    assert (taux.taux, taux.taux_indique) == (Decimal("14.0"), Decimal("14"))


def test_values_keep_their_source(precedent):
    assert _valeurs(precedent, 1, "Nombre de femmes ayant bénéficié d'un EPP") == [
        (2024, Decimal("51"), "PMI23D_GES1")
    ]
    bsem = _valeurs(precedent, 2, "Nombre d'enfants ayant bénéficié du BSEM")
    assert "Éducation nationale" in bsem[-1][2]


def test_fiche_18_is_abandoned_after_the_cour_de_cassation_its_credits_go_to_fiche_8(precedent):
    fiche = precedent.fiches.get(numero=18)
    assert fiche.etat == "abandonnee"
    assert "Cour de cassation" in fiche.motif_abandon
    assert fiche.fiche_beneficiaire.numero == 8


def test_fiches_7_and_9_are_late_with_the_reason_of_the_report(precedent):
    late = precedent.fiches.en_retard()
    assert sorted(late.values_list("numero", flat=True)) == [7, 9]
    assert "convention non revue" in precedent.fiches.get(numero=7).points_vigilance.get().libelle
    implemented = precedent.fiches.exclude(etat="abandonnee")
    assert implemented.count() == 18


def test_1000_euros_move_from_fiche_7_to_fiche_6_by_an_applied_decision(precedent):
    decision = Decision.objects.get(
        point__reunion__contrat=precedent, changement__action="transferer"
    )
    assert decision.est_appliquee and decision.point.fiche.numero == 7
    assert decision.changement["vers_fiche"] == 6
    sent = precedent.fiches.get(numero=7).financements.get(montant__lt=0)
    received = precedent.fiches.get(numero=6).financements.get(note__contains="transfert")
    assert (sent.montant, received.montant) == (Decimal("-1000"), Decimal("1000"))


def test_moves_without_amount_are_decisions_without_automatic_change(precedent):
    decisions = Decision.objects.filter(point__reunion__contrat=precedent, changement={})
    assert sorted(d.point.fiche.numero for d in decisions) == [10, 19]
    textes = " ".join(d.texte for d in decisions)
    assert "renfort de l'action 11" in textes and "renfort de l'action 15" in textes
    assert not Decision.objects.filter(point__reunion__contrat=precedent, statut="ouverte")


def test_invented_planned_amounts_are_marked(precedent):
    data = precedent_data()
    invented = [f for row in data["fiches"] for f in row["financements"] if f.get("_invente")]
    assert invented
    assert all("inventé" in f["note"] for f in invented)
    fiche = precedent.fiches.get(numero=1)
    assert "Montant inventé" in fiche.financements.get().note


def test_the_2025_2027_contract_is_unchanged(precedent):
    current = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    assert list(current.fiches.values_list("numero", flat=True)) == list(range(1, 18))


def test_loading_again_adds_nothing(precedent):
    assert demo_precedent_load() == 0


def test_home_page_lists_both_creuse_contracts(precedent, client):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    home = client.get("/").content.decode()
    # le contrat en cours d'abord, puis le précédent, chacun par sa génération
    assert 0 < home.index("Creuse – 2025-2027") < home.index("Creuse – 2020-2024")
    assert "19 fiches actions" in home


def test_contract_page_shows_13_1_and_groups_by_objective(precedent, client):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get(f"/contrats/{precedent.pk}/").content.decode()
    assert "Fiche n°13-1" in page
    assert "Mesure : Renforcer les CRIP – Objectif : Renforcer les moyens" in page
    fiche = client.get(f"/contrats/{precedent.pk}/fiches/13/").content.decode()
    assert "Fiche action n°13-1" in fiche
    assert "Mesure : Soutenir les actions innovantes en PMI" in fiche
    assert "Durée de l'action</th><td>2024</td>" in fiche


def test_contract_page_queries_stay_bounded(precedent, client):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    current = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    client.get(f"/contrats/{current.pk}/")  # session et compteurs du menu chargés une fois
    with CaptureQueriesContext(connection) as previous:
        assert client.get(f"/contrats/{precedent.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as current_queries:
        assert client.get(f"/contrats/{current.pk}/").status_code == 200
    # 19 fiches et leurs mesures : pas une requête par fiche
    assert len(previous) <= len(current_queries) + 1, [q["sql"] for q in previous]

"""Contenu du rapport d'exécution sur des contrats construits pour le test : nombre de
requêtes borné, moyens déplacés énoncés dans les deux fiches, incohérences signalées,
en-tête tiré des données."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.core.formats import euros
from pilotage.rapports.content import rapport_content
from pilotage.referentiel.models import Generation
from pilotage.reunions import services as reunions_services
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Institution
from tests.factories import ContratFactory, UserFactory, grant, make_comite_suivi, make_fiche

pytestmark = pytest.mark.django_db

DATE = datetime.date(2026, 12, 2)


def when(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 14))


@pytest.fixture
def pilote():
    return UserFactory()


@pytest.fixture
def contrat(pilote):
    contrat = ContratFactory()
    grant(pilote, contrat)
    return contrat


def fiches(contrat, count):
    return [make_fiche(contrat, numero=n) for n in range(1, count + 1)]


def values(fiche, *rows):
    indicateur = fiche.indicateurs.get()
    for row in rows:
        valeur_create(indicateur=indicateur, user=None, **row)


def transfer(contrat, pilote, depuis, vers, montant, annee=2026, apply=True, **changement):
    reunion = make_comite_suivi(contrat, pilote, when(3))
    decision = reunions_services.decision_create(
        point=reunion.points.get(fiche=depuis),
        auteur=pilote,
        fields={
            "categorie": "moyens",
            "texte": "Redéploiement.",
            "changement": {
                "action": "transferer",
                "vers_fiche": vers.numero,
                "montant": str(montant),
                "financeur": "etat",
                "annee": annee,
                **changement,
            },
        },
    )
    if apply:
        reunions_services.decision_apply(decision=decision, user=pilote)
    return decision


def _populate(contrat, pilote, count):
    made = fiches(contrat, count)
    for fiche in made:
        values(
            fiche, {"annee": 2025, "valeur": Decimal(10)}, {"annee": 2026, "valeur": Decimal(12)}
        )
    transfer(contrat, pilote, made[0], made[1], 500)
    return made


@pytest.mark.parametrize("count", [5, 20])
def test_query_count_does_not_depend_on_the_number_of_fiches(
    contrat, pilote, count, django_assert_max_num_queries
):
    _populate(contrat, pilote, count)
    with django_assert_max_num_queries(14):
        rapport = rapport_content(contrat, 2026, date=DATE)
    assert len(rapport.fiches) == count
    assert rapport.fiche(str(count)).indicateurs[0].evolution_pct == Decimal("20.0")


def test_an_applied_transfer_is_stated_in_both_fiches(contrat, pilote):
    un, deux = fiches(contrat, 2)
    transfer(contrat, pilote, un, deux, 1000)
    rapport = rapport_content(contrat, 2026, date=DATE)
    (sent,) = rapport.fiche("1").redeploiements
    (received,) = rapport.fiche("2").redeploiements
    assert sent == received.__class__(
        depuis_fiche="1",
        vers_fiche="2",
        montant=Decimal("1000"),
        texte="Les moyens alloués à cette action ont été utilisés en renfort de l'action 2 "
        f"à hauteur de {euros(1000)}.",
    )
    assert received.texte == (
        f"Cette action a été renforcée par les moyens alloués à l'action 1 à hauteur de {euros(1000)}."
    )
    lignes = {(ligne.fiche, ligne.financeur): ligne for ligne in rapport.annexe_financiere.lignes}
    assert (lignes["1", "etat"].transferts, lignes["1", "etat"].total) == (-1000, 13574)
    assert (lignes["2", "etat"].transferts, lignes["2", "etat"].total) == (1000, 15574)
    # la valorisation reste à part
    assert (lignes["1", "cd"].prevu, lignes["1", "cd"].valorisation) == (0, 14574)


def test_a_transfer_not_applied_or_of_another_year_is_not_a_redeploiement(contrat, pilote):
    un, deux = fiches(contrat, 2)
    transfer(contrat, pilote, un, deux, 1000, apply=False)
    transfer(contrat, pilote, un, deux, 300, annee=2025)
    rapport = rapport_content(contrat, 2026, date=DATE)
    assert rapport.fiche("1").redeploiements == []
    assert rapport.fiche("2").redeploiements == []


def test_abandoned_fiche_credits_go_to_its_beneficiary(contrat, pilote):
    un, deux = fiches(contrat, 2)
    un.refresh_from_db()
    contrats_services.fiche_update(
        fiche=un,
        user=pilote,
        expected_version=un.version,
        fields={
            "etat": "abandonnee",
            "motif_abandon": "Partenaire dissous",
            "fiche_beneficiaire": deux,
        },
    )
    rapport = rapport_content(contrat, 2026, date=DATE)
    r = rapport.recapitulatif
    assert (r.prevues, r.mises_en_oeuvre, r.abandonnees) == (2, 0, 1)
    assert [(x.fiche, x.nature, x.texte) for x in r.raisons] == [
        ("1", "abandon", "Partenaire dissous")
    ]
    (move,) = rapport.fiche("2").redeploiements
    assert (move.depuis_fiche, move.vers_fiche, move.montant) == ("1", "2", None)


def test_late_step_makes_the_fiche_late_with_its_vigilance_points(contrat, pilote):
    (fiche,) = fiches(contrat, 1)
    fiche.etat = "en_cours"
    fiche.save()
    fiche.jalons.update(date_prevue=datetime.date(2026, 6, 30))
    rapport = rapport_content(contrat, 2026, date=DATE)
    assert rapport.recapitulatif.fiches_en_retard == ["1"]
    (raison,) = rapport.recapitulatif.raisons
    assert (raison.nature, raison.texte) == ("retard", "Natalité en baisse")
    assert raison.etapes == ["Signature de la convention [2025] prévu le 30/06/2026"]
    assert rapport.fiche("1").en_retard
    # au rapport de 2025, l'étape n'était pas encore due
    assert rapport_content(contrat, 2025, date=DATE).recapitulatif.en_retard == 0


def test_stated_rate_that_does_not_match_its_figures_is_listed(contrat):
    (fiche,) = fiches(contrat, 1)
    values(
        fiche,
        {
            "annee": 2026,
            "numerateur": Decimal(25),
            "denominateur": Decimal(100),
            "taux_indique": Decimal(14),
        },
    )
    (incoherence,) = rapport_content(contrat, 2026, date=DATE).incoherences
    assert (incoherence.nature, incoherence.fiche, incoherence.annee) == ("taux", "1", 2026)
    assert "14 %" in incoherence.texte and "25 / 100 = 25 %" in incoherence.texte


def test_two_values_for_the_same_year_are_listed_once(contrat):
    (fiche,) = fiches(contrat, 1)
    values(
        fiche,
        {"annee": 2026, "valeur": Decimal(598), "source": "Fiche"},
        {"annee": 2026, "valeur": Decimal(593), "source": "Rapport"},
    )
    rapport = rapport_content(contrat, 2026, date=DATE)
    (incoherence,) = rapport.incoherences
    assert incoherence.nature == "valeurs_differentes"
    assert "598" in incoherence.texte and "593" in incoherence.texte
    # la dernière saisie est la valeur du rapport
    assert rapport.fiche("1").indicateurs[0].valeur == 593


def earlier_generation():
    return Generation.objects.get_or_create(
        code="2020-2024",
        defaults={"libelle": "Stratégie 2020-2024", "annee_debut": 2020, "annee_fin": 2024},
    )[0]


def test_same_indicator_in_a_previous_contract_with_another_value_is_listed(contrat):
    (fiche,) = fiches(contrat, 1)
    values(fiche, {"annee": 2024, "valeur": Decimal(598), "source": "Fiche action"})
    previous = ContratFactory(generation=earlier_generation())
    (old,) = fiches(previous, 1)
    old.indicateurs.update(libelle="Nombre d'EPP réalisés en 2024 :")
    values(old, {"annee": 2024, "valeur": Decimal(593), "source": "Rapport d'exécution"})
    (incoherence,) = rapport_content(contrat, 2025).incoherences
    assert incoherence.texte == (
        "Nombre d'EPP réalisés, 2024 : 598 (Fiche action, fiche 1 du contrat 2025-2027) "
        "et 593 (Rapport d'exécution, fiche 1 du contrat 2020-2024)."
    )
    # même valeur : rien à signaler
    old.indicateurs.get().valeurs.update(valeur=598)
    assert rapport_content(contrat, 2025).incoherences == []


def test_first_contractualisation_comes_from_an_earlier_generation(contrat):
    contrat.annee_premiere_contractualisation = None
    contrat.date_signature = datetime.date(2025, 3, 1)
    contrat.save()
    assert rapport_content(contrat, 2026).entete.annee_premiere_contractualisation == 2025
    ContratFactory(generation=earlier_generation(), annee_premiere_contractualisation=2021)
    assert rapport_content(contrat, 2026).entete.annee_premiere_contractualisation == 2021


def test_collaboration_is_unknown_unless_the_data_says_it(contrat):
    (fiche,) = fiches(contrat, 1)
    entete = rapport_content(contrat, 2026).entete
    assert (entete.collaboration_dpjj, entete.collaboration_dgesco) == (None, None)
    fiche.acteurs.create(nom="Éducation nationale")
    contrat.signataires.create(
        fonction="Directeur interrégional",
        institution=Institution.objects.create(nom="DIR PJJ Sud-Ouest", type="pjj"),
    )
    entete = rapport_content(contrat, 2026).entete
    assert (entete.collaboration_dpjj, entete.collaboration_dgesco) == (True, True)


def test_pilots_texts_fill_bilan_and_perspectives(contrat):
    fiches(contrat, 1)
    rapport = rapport_content(contrat, 2026, textes={"1": ("Bilan rédigé", "Poursuite")})
    assert (rapport.fiche("1").bilan_execution, rapport.fiche("1").perspectives) == (
        "Bilan rédigé",
        "Poursuite",
    )


def test_an_empty_contract_gives_an_empty_report(contrat):
    rapport = rapport_content(contrat, 2026)
    r = rapport.recapitulatif
    assert (r.prevues, r.mises_en_oeuvre, r.en_retard, r.abandonnees) == (0, 0, 0, 0)
    assert (rapport.fiches, rapport.engagements, rapport.incoherences) == ([], [], [])
    assert rapport.annexe_financiere.lignes == []


def test_a_fiche_without_objective_is_listed_last(contrat):
    make_fiche(contrat, numero=1, objectifs=())
    make_fiche(contrat, numero=2, objectifs=(3,))
    rapport = rapport_content(contrat, 2026)
    assert [f.numero for f in rapport.fiches] == ["2", "1"]
    assert rapport.engagements[-1].libelle == "Fiches sans objectif du référentiel"
    assert rapport.engagements[0].objectifs[0].libelle == "Objectif n°3"


def test_the_word_en_is_not_the_education_nationale(contrat):
    (fiche,) = fiches(contrat, 1)
    fiche.acteurs.create(nom="Professionnels en libéral")
    assert rapport_content(contrat, 2026).entete.collaboration_dgesco is None
    fiche.acteurs.create(nom="EN")
    assert rapport_content(contrat, 2026).entete.collaboration_dgesco is True

"""Le rapport d'exécution calculé sur la démonstration : le rapport 2024 de la Creuse
(contrat 2020-2024) redonne le récapitulatif et les chiffres du rapport publié
(`seeds/004_…`), et le contrat 2025-2027 donne un rapport 2026 sensé."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats.models import Contrat
from pilotage.core.formats import euros
from pilotage.rapports.content import rapport_content
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401

DATE = datetime.date(2025, 11, 19)


@pytest.fixture
def rapport_2024(precedent):  # noqa: F811
    return rapport_content(precedent, 2024, date=DATE)


@pytest.fixture
def courant(_precedent_module, demo_data):  # noqa: F811
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


def test_header_names_the_departement_region_and_first_contractualisation(rapport_2024):
    entete = rapport_2024.entete
    assert (entete.departement, entete.region) == ("Creuse", "Nouvelle-Aquitaine")
    assert (entete.annee, entete.annee_premiere_contractualisation) == (2024, 2021)
    assert entete.date == DATE
    # PJJ et Éducation nationale parmi les partenaires des fiches 9 et 15
    assert (entete.collaboration_dpjj, entete.collaboration_dgesco) == (True, True)


def test_recapitulatif_of_2024_is_the_published_one(rapport_2024):
    r = rapport_2024.recapitulatif
    assert (r.prevues, r.mises_en_oeuvre, r.en_retard, r.abandonnees) == (19, 18, 2, 1)
    assert r.fiches_en_retard == ["7", "9"]
    assert r.fiches_abandonnees == ["18"]
    assert "13-1" in r.fiches_mises_en_oeuvre and "18" not in r.fiches_mises_en_oeuvre


def test_reasons_of_delay_and_abandonment_are_the_recorded_ones(rapport_2024):
    raisons = {(r.fiche, r.nature): r for r in rapport_2024.recapitulatif.raisons}
    assert set(raisons) == {("18", "abandon"), ("7", "retard"), ("9", "retard")}
    assert "Cour de cassation" in raisons["18", "abandon"].texte
    assert "convention non revue" in raisons["7", "retard"].texte
    assert "commission cas complexes" in raisons["9", "retard"].texte
    assert raisons["7", "retard"].etapes[0].startswith("Réactualisation et signature du protocole")


def test_fiche_6_figures_of_the_report(rapport_2024):
    lignes = {i.libelle: i for i in rapport_2024.fiche("6").indicateurs}
    entrantes = lignes["Nombre d'IP entrantes"]
    assert (entrantes.valeur, entrantes.valeur_precedente) == (Decimal("593"), Decimal("424"))
    assert entrantes.evolution_pct == Decimal("39.9")
    assert entrantes.source == "Rapport d'exécution 2024"
    assert lignes["Nombre d'IP évaluées"].valeur == 179
    assert lignes["Nombre d'IP évaluées en moins de 3 mois"].valeur == 25
    taux = lignes["Taux d'IP évaluées sous 3 mois"]
    assert (taux.valeur, taux.taux_indique, taux.valeur_precedente) == (
        Decimal("14.0"),
        Decimal("14"),
        Decimal("9.4"),
    )
    assert (taux.numerateur, taux.denominateur) == (25, 179)


def test_fiche_section_fields_come_from_the_fiche(rapport_2024):
    fiche = rapport_2024.fiche("1")
    assert fiche.descriptif.startswith("Modification de la convention CD/CHG")
    assert fiche.date_mise_en_place.startswith("2ème semestre 2021")
    assert fiche.duree == "2021-2024"
    assert fiche.partenaires == ["CH", "sages-femmes libérales", "ARS", "CPAM"]
    assert fiche.budget and "Montant inventé" in fiche.budget[0]
    assert fiche.url.endswith("/fiches/1/")
    # le bilan et les perspectives sont rédigés par les pilotes, pas déduits des chiffres
    assert (fiche.bilan_execution, fiche.perspectives) == ("", "")


def test_sources_are_kept(rapport_2024):
    (epp,) = rapport_2024.fiche("1").indicateurs
    assert (epp.valeur, epp.source) == (Decimal("51"), "PMI23D_GES1")


def test_fiches_follow_engagement_objective_and_mesure(rapport_2024):
    engagements = rapport_2024.engagements
    assert engagements[0].libelle.startswith("Engagement 1 : ")
    first = engagements[0].objectifs[0]
    assert first.statut == "Objectifs fondamentaux"
    assert first.mesure.lower().startswith("rendre obligatoire l'entretien prénatal précoce")
    assert first.fiches == ["1"]
    placed = [n for e in engagements for o in e.objectifs for n in o.fiches]
    assert sorted(placed) == sorted(f.numero for f in rapport_2024.fiches)
    assert [f.numero for f in rapport_2024.fiches] == placed
    assert "13-1" in placed


def test_funds_moved_from_7_to_6_are_stated_in_both_fiches(rapport_2024):
    (sent,) = rapport_2024.fiche("7").redeploiements
    assert (sent.depuis_fiche, sent.vers_fiche, sent.montant) == ("7", "6", Decimal("1000"))
    assert sent.texte == (
        "Les moyens alloués à cette action ont été utilisés en renfort de l'action 6 "
        f"à hauteur de {euros(1000)}."
    )
    (received,) = rapport_2024.fiche("6").redeploiements
    assert (received.depuis_fiche, received.vers_fiche) == ("7", "6")
    assert "moyens alloués à l'action 7" in received.texte


def test_abandonment_and_decisions_without_amount_are_redeploiements(rapport_2024):
    moves = {
        (r.depuis_fiche, r.vers_fiche): r.montant
        for f in rapport_2024.fiches
        for r in f.redeploiements
    }
    assert moves == {("7", "6"): 1000, ("18", "8"): None, ("10", "11"): None, ("19", "15"): None}
    (to_8,) = rapport_2024.fiche("8").redeploiements
    assert to_8.texte == "Cette action a été renforcée par les moyens alloués à l'action 18."


def test_financial_annex_per_fiche_and_funder_with_transfers(rapport_2024):
    lignes = {
        (ligne.fiche, ligne.financeur): ligne for ligne in rapport_2024.annexe_financiere.lignes
    }
    seven, six = lignes["7", "etat"], lignes["6", "etat"]
    assert (seven.prevu, seven.transferts, seven.total) == (5000, -1000, 4000)
    assert (six.prevu, six.transferts, six.total) == (25000, 1000, 26000)
    assert six.execute is None
    assert lignes["14", "caf"].prevu == 57000
    totaux = {t.financeur: t for t in rapport_2024.annexe_financiere.totaux}
    assert totaux["etat"].transferts == 0
    assert totaux["ondam"].prevu == 50000


def test_inconsistency_with_the_2025_2027_fiche_is_listed(rapport_2024):
    textes = [i.texte for i in rapport_2024.incoherences if i.fiche == "6"]
    entrantes = [t for t in textes if t.startswith("Nombre d'IP entrantes, 2024")]
    assert len(entrantes) == 1
    assert "593 (Rapport d'exécution 2024, fiche 6 du contrat 2020-2024)" in entrantes[0]
    assert "598 (Fiche action 2025-2027, fiche 6 du contrat 2025-2027)" in entrantes[0]
    # 424 en 2023 dans les deux documents : rien à signaler
    assert not [t for t in textes if t.startswith("Nombre d'IP entrantes, 2023")]


def test_fiche_6_stated_rate_matches_its_figures(rapport_2024):
    assert not [i for i in rapport_2024.incoherences if i.nature == "taux" and i.fiche == "6"]


def test_2025_2027_report_of_2026_is_sensible(courant):
    rapport = rapport_content(courant, 2026, date=datetime.date(2026, 12, 2))
    r = rapport.recapitulatif
    assert r.prevues == 17 and r.abandonnees == 0
    assert r.mises_en_oeuvre == 14  # fiches 5, 7 et 17 non démarrées
    assert set(r.fiches_en_retard) <= set(r.fiches_prevues)
    assert rapport.entete.annee_premiere_contractualisation == 2021
    assert [f.numero for f in rapport.fiches] and len(rapport.fiches) == 17
    assert rapport.engagements[0].objectifs[0].mesure == ""
    assert rapport.annexe_financiere.lignes


def test_2025_2027_report_of_2025_flags_the_2024_figures_of_the_previous_contract(courant):
    rapport = rapport_content(courant, 2025)
    textes = [i.texte for i in rapport.incoherences if i.fiche == "6"]
    assert any("598" in t and "593" in t for t in textes), textes


def test_a_year_outside_the_contract_is_refused(courant):
    with pytest.raises(ValidationError, match="pas dans la période du contrat 2025-2027"):
        rapport_content(courant, 2030)

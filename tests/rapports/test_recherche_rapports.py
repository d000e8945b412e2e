"""Rapports d'exécution dans la recherche (reconstruction de l'index) : textes rédigés
cherchables, seulement par qui voit le contrat."""

import io

import pytest
from django.core.management import call_command

from pilotage.core.recherche import Filtres, search
from pilotage.rapports import services
from pilotage.rapports.models import SectionRapport
from tests.factories import ContratFactory, RapportFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def test_rapport_cherchable_par_le_contrat_seulement(creuse, loir_et_cher):
    rapport = RapportFactory(contrat=ContratFactory(departement=creuse))
    SectionRapport.objects.create(
        rapport=rapport, rubrique=SectionRapport.Rubrique.PERSPECTIVES, texte="Évaluations prévues"
    )
    pilote, autre = UserFactory(), UserFactory()
    grant(pilote, rapport.contrat)
    grant(autre, ContratFactory(departement=loir_et_cher))
    call_command("reindexer_recherche", stdout=io.StringIO())
    resultats = search(pilote, "evaluer", Filtres(sorte="rapport"))
    assert [r.titre for g in resultats.groupes for r in g.resultats] == [
        "Rapport d'exécution 2025 – Creuse"
    ]
    assert search(autre, "evaluer").total == 0


def test_texte_d_une_section_cherchable_des_son_enregistrement(contrat, rapport, cd, fiches):
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiches[0],
        texte="Bilan : permanences éducatives ouvertes.",
    )
    assert search(cd, "permanence educative", Filtres(sorte="rapport")).total == 1
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiches[0],
        texte="Bilan : ateliers.",
        expected_version=rapport.sections.get().version,
    )
    assert search(cd, "permanence", Filtres(sorte="rapport")).total == 0

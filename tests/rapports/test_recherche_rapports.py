"""Rapports d'exécution dans la recherche (reconstruction de l'index) : textes rédigés
cherchables, seulement par qui voit le contrat."""

import io

import pytest
from django.core.management import call_command

from pilotage.core.recherche import Filtres, search
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

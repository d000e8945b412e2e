"""Index de la recherche à jour après chaque écriture du rapport d'exécution (issue 16) :
proposition reprise, soumission et validation (date du résultat), correction (titre de la
version 2) — le résultat change dès la fin du service."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from pilotage.core import recherche
from pilotage.core.recherche import Filtres, search
from pilotage.rapports import services
from pilotage.rapports.models import RapportExecution, SectionRapport
from pilotage.suivi.models import Releve

RAPPORTS = Filtres(sorte="rapport")
BILAN = SectionRapport.Rubrique.BILAN


def _resultats(user, question):
    return [r for g in search(user, question, RAPPORTS).groupes for r in g.resultats]


@pytest.fixture
def releve(cd, fiches):
    fiche = fiches[0]
    return Releve.objects.create(
        fiche=fiche,
        indicateur=fiche.indicateurs.first(),
        date_observation=datetime.date(2025, 3, 1),
        situation="Entretien",
        questions="Questions clés.",
        faits="Permanences éducatives ouvertes.",
        statut=Releve.Statut.VALIDE,
        auteur=cd,
        institution=cd.institution,
    )


def test_la_proposition_reprise_remplace_le_texte_dans_la_recherche(releve, contrat, cd, fiches):
    rapport = services.rapport_create(contrat=contrat, annee=2025, user=cd)
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Ludothèque ouverte."
    )
    assert _resultats(cd, "permanences educatives") == []
    services.section_reprendre_proposition(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0]
    )
    assert len(_resultats(cd, "permanences educatives")) == 1
    assert _resultats(cd, "ludotheque") == []


def _vieillir(rapport, **champs) -> None:
    """Recule des dates du rapport de dix jours (et réindexe) : la date d'une étape faite
    aujourd'hui se distingue alors de la précédente."""
    RapportExecution.objects.filter(pk=rapport.pk).update(
        **{champ: F(champ) - datetime.timedelta(days=10) for champ in champs}
    )
    rapport.refresh_from_db()
    recherche.index_object(rapport)


def test_le_rapport_soumis_puis_valide_est_date_de_ces_etapes(rapport, cd, ddets, ars, fiches):
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Ateliers"
    )
    _vieillir(rapport, created_at=True)
    assert [r.date for r in _resultats(cd, "ateliers")] == [rapport.created_at.date()]
    services.rapport_submit(rapport=rapport, user=cd)
    assert [r.date for r in _resultats(cd, "ateliers")] == [timezone.localdate()]
    _vieillir(rapport, soumis_le=True)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=rapport, user=user)
    assert [r.date for r in _resultats(cd, "ateliers")] == [timezone.localdate()]


def test_le_rapport_corrige_est_trouve_sous_le_titre_de_sa_version_2(arrete, cd):
    services.rapport_corriger(rapport=arrete, user=cd)
    assert [r.titre for r in _resultats(cd, "rapport execution")] == [
        "Rapport d'exécution 2025 (version 2) – Creuse"
    ]

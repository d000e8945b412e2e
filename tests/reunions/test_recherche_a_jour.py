"""Index de la recherche à jour après chaque écriture des réunions (issue 16) : décision
close puis rouverte, titre de la fiche modifié, date de la réunion déplacée, décision
appliquée à la fiche — le résultat change dès la fin du service."""

import datetime

import pytest
from django.utils import timezone

from pilotage.contrats.services import fiche_update
from pilotage.core.recherche import Filtres, search
from pilotage.reunions import services

REUNIONS = Filtres(sorte="reunion")


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return services.reunion_create(
        contrat=contrat,
        user=pilote,
        fields={"type": "comite_suivi", "date": timezone.now() + datetime.timedelta(days=3)},
        selection=[fiches[0].pk],
    )


@pytest.fixture
def point(reunion, fiches):
    return reunion.points.get(fiche=fiches[0])


def _titres(user, question, filtres=REUNIONS):
    return [r.titre for g in search(user, question, filtres).groupes for r in g.resultats]


def _decision(point, pilote, texte="Relancer la CAF", **fields):
    return services.decision_create(
        point=point, auteur=pilote, fields={"categorie": "autre", "texte": texte, **fields}
    )


def test_une_decision_rouverte_n_est_plus_trouvee_par_son_commentaire_de_cloture(point, pilote):
    decision = _decision(point, pilote)
    services.decision_close(decision=decision, user=pilote, commentaire="Faute de crédits")
    assert len(_titres(pilote, "credit")) == 1
    services.decision_reopen(decision=decision, user=pilote)
    assert _titres(pilote, "credit") == []
    assert len(_titres(pilote, "relancer caf")) == 1


def test_le_titre_modifie_de_la_fiche_suit_dans_ses_decisions_et_ses_notes(point, pilote, fiches):
    _decision(point, pilote)
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="Visites reprises")
    fiche = fiches[0]
    fiche_update(
        fiche=fiche,
        user=pilote,
        expected_version=fiche.version,
        fields={"titre": "Ludothèque itinérante"},
    )
    assert len(_titres(pilote, "ludotheque itinerante")) == 2
    assert _titres(pilote, "fiche de test") == []


def test_la_date_deplacee_de_la_reunion_suit_dans_le_filtre_des_dates(reunion, point, pilote):
    _decision(point, pilote)
    nouvelle = timezone.now() + datetime.timedelta(days=40)
    jour = timezone.localtime(nouvelle).date()
    a_la_nouvelle_date = Filtres(sorte="reunion", depuis=jour, jusqu_a=jour)
    assert _titres(pilote, "relancer", a_la_nouvelle_date) == []
    services.reunion_update(reunion=reunion, user=pilote, fields={"date": nouvelle})
    assert [r.date for g in search(pilote, "relancer", REUNIONS).groupes for r in g.resultats] == [
        jour
    ]
    assert len(_titres(pilote, "relancer", a_la_nouvelle_date)) == 1


def test_une_decision_appliquee_rend_la_fiche_modifiee_cherchable(point, pilote, fiches):
    """Garde : l'application passe par `fiche_update`, qui réindexe la fiche et ses
    indicateurs ; le document de la décision, lui, ne change pas."""
    indicateur = fiches[0].indicateurs.get()
    decision = _decision(
        point,
        pilote,
        texte="Renommer l'indicateur",
        categorie="indicateurs",
        changement={
            "action": "modifier_indicateur",
            "indicateur": indicateur.pk,
            "libelle": "Nombre de visites à domicile",
        },
    )
    services.decision_apply(decision=decision, user=pilote)
    indicateurs = Filtres(sorte="indicateur")
    assert len(_titres(pilote, "visites domicile", indicateurs)) == 1
    assert "Nombre d'EPP réalisés – fiche n°1" not in _titres(pilote, "EPP", indicateurs)

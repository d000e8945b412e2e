"""Notes de séance et décisions dans la recherche : le texte partagé seulement, à jour
après chaque écriture par le service, invisibles hors du contrat."""

import pytest

from pilotage.core.recherche import Filtres, search
from pilotage.reunions import services
from tests.factories import ContratFactory, UserFactory, grant, make_comite_suivi

REUNIONS = Filtres(sorte="reunion")


@pytest.fixture
def point(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote).points.get(fiche__numero=1)


def _trouves(user, question):
    return [r.titre for g in search(user, question, REUNIONS).groupes for r in g.resultats]


def test_decision_cherchable_modifiee_puis_supprimee(point, pilote):
    decision = services.decision_create(
        point=point, auteur=pilote, fields={"categorie": "autre", "texte": "Relancer la CAF"}
    )
    assert len(_trouves(pilote, "relancer caf")) == 1
    decision = services.decision_update(
        decision=decision,
        user=pilote,
        expected_version=decision.version,
        fields={"texte": "Évaluer les permanences"},
    )
    assert _trouves(pilote, "relancer") == []
    assert len(_trouves(pilote, "evaluations permanence")) == 1
    services.decision_delete(decision=decision, user=pilote)
    assert _trouves(pilote, "permanences") == []


def test_note_partagee_cherchable_pas_ailleurs(point, pilote, loir_et_cher):
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="Visites reprises")
    assert len(_trouves(pilote, "visite reprise")) == 1
    autre = UserFactory()
    grant(autre, ContratFactory(departement=loir_et_cher))
    assert _trouves(autre, "visite reprise") == []


def test_note_vide_retiree_de_l_index(point, pilote):
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="Visites reprises")
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="")
    assert _trouves(pilote, "visites") == []

"""Décisions en séance : un référent ne modifie ni ne supprime la décision d'un pilote
(403), ne consigne que sur ses fiches, et les boutons suivent ces droits ; chaque
décision a son historique, et un pilote voit la trace des décisions supprimées."""

import pytest
from django.urls import reverse

from pilotage.contrats.models import Habilitation
from pilotage.reunions import services
from pilotage.reunions.models import Decision
from tests.factories import UserFactory, grant, make_comite_suivi, make_fiche
from tests.reunions.helpers import url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pilote(contrat):
    user = UserFactory(first_name="Claire", last_name="Pilote")
    grant(user, contrat)
    return user


@pytest.fixture
def referent(contrat):
    """Référent de la fiche n°1 seulement."""
    user = UserFactory(first_name="Paul", last_name="Referent")
    grant(user, contrat, Habilitation.Role.REFERENT)
    return user


@pytest.fixture
def reunion(contrat, pilote, referent):
    fiche = make_fiche(contrat, 1, user=pilote)
    fiche.referents.add(referent)
    make_fiche(contrat, 2, user=pilote)
    return make_comite_suivi(contrat, pilote)


def decision_url(decision):
    return reverse("reunions:decision", args=[decision.point.reunion.contrat_id, decision.pk])


def consigne(reunion, numero, auteur, texte="Décision de test"):
    return services.decision_create(
        point=reunion.points.get(fiche__numero=numero),
        auteur=auteur,
        fields={"categorie": "autre", "texte": texte},
    )


def edit_data(decision, texte):
    prefix = f"d{decision.pk}"
    return {
        f"{prefix}-categorie": "autre",
        f"{prefix}-texte": texte,
        f"{prefix}-version": str(decision.version),
    }


def create_data(reunion, numero, texte):
    prefix = f"n{reunion.points.get(fiche__numero=numero).pk}"
    return {f"{prefix}-categorie": "autre", f"{prefix}-texte": texte}


def test_referent_gets_403_editing_a_pilots_decision(client, reunion, pilote, referent):
    decision = consigne(reunion, 1, pilote, "Décision du pilote")
    client.force_login(referent)
    response = client.post(decision_url(decision), edit_data(decision, "Réécrite"), **HTMX)
    assert response.status_code == 403
    assert Decision.objects.get().texte == "Décision du pilote"


def test_referent_gets_403_deleting_a_pilots_decision(client, reunion, pilote, referent):
    decision = consigne(reunion, 1, pilote)
    client.force_login(referent)
    response = client.post(decision_url(decision), {"supprimer": "1"})
    assert response.status_code == 403
    assert Decision.objects.exists()


def test_referent_gets_403_recording_a_decision_on_another_fiche(client, reunion, referent):
    client.force_login(referent)
    response = client.post(url("decision_create", reunion, 2), create_data(reunion, 2, "Non"))
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_referent_records_edits_and_deletes_on_their_own_fiche(client, reunion, referent):
    client.force_login(referent)
    response = client.post(url("decision_create", reunion, 1), create_data(reunion, 1, "Mienne"))
    assert response.status_code == 302
    decision = Decision.objects.get()
    response = client.post(decision_url(decision), edit_data(decision, "Revue"))
    assert response.status_code == 302
    assert Decision.objects.get().texte == "Revue"
    assert client.post(decision_url(decision), {"supprimer": "1"}).status_code == 302
    assert not Decision.objects.exists()


def test_pilot_edits_and_deletes_a_referents_decision(client, reunion, pilote, referent):
    decision = consigne(reunion, 1, referent, "Du référent")
    client.force_login(pilote)
    assert client.post(decision_url(decision), edit_data(decision, "Revue")).status_code == 302
    assert client.post(decision_url(decision), {"supprimer": "1"}).status_code == 302
    assert not Decision.objects.exists()


def test_referent_sees_no_edit_button_on_a_pilots_decision_nor_a_form_on_another_fiche(
    client, reunion, pilote, referent
):
    theirs = consigne(reunion, 1, pilote, "Du pilote")
    mine = consigne(reunion, 1, referent, "Du référent")
    client.force_login(referent)
    html = client.get(url("seance_fiche", reunion, 1)).content.decode()
    assert f'hx-get="{decision_url(mine)}"' in html
    assert f'hx-get="{decision_url(theirs)}"' not in html
    assert "Consigner la décision" in html
    html = client.get(url("seance_fiche", reunion, 2)).content.decode()
    assert "Consigner la décision" not in html
    # La page de la décision d'un pilote : lecture seule, sans formulaire.
    page = client.get(decision_url(theirs)).content.decode()
    assert "Enregistrer la décision" not in page
    assert "Historique de la décision" in page


def test_decision_page_shows_its_history_with_author(client, reunion, pilote, referent):
    decision = consigne(reunion, 1, referent, "Première rédaction")
    services.decision_update(
        decision=decision, user=pilote, expected_version=1, fields={"texte": "Revue"}
    )
    client.force_login(pilote)
    html = client.get(decision_url(decision)).content.decode()
    assert "Décision consignée" in html
    assert "Décision modifiée" in html
    assert "Paul Referent" in html and "Claire Pilote" in html
    assert "Première rédaction" in html


def test_pilot_sees_the_trace_of_a_deleted_decision(client, reunion, pilote, referent):
    decision = consigne(reunion, 1, referent, "Texte qui disparaîtra")
    services.decision_delete(decision=decision, user=referent)
    client.force_login(pilote)
    html = client.get(reverse("reunions:decisions", args=[reunion.contrat_id])).content.decode()
    assert "Décisions supprimées" in html
    assert "Texte qui disparaîtra" in html
    assert "Paul Referent" in html

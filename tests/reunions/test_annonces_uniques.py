"""Chaque confirmation d'un enregistrement par HTMX est dite une fois : dans le fragment
appliqué à la page, jamais aussi en message Django gardé pour la page suivante (il
réapparaîtrait au prochain chargement, pour une action déjà annoncée)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pilotage.reunions import services
from tests.factories import UserFactory, grant, make_comite_suivi
from tests.htmx import fill, update_page_with_htmx
from tests.reunions.helpers import url

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote)


def _said_once(page, text):
    """`text` figure une fois dans la page mise à jour, dans une annonce role=status."""
    found = page.xpath("//*[contains(@class, 'fr-alert')][contains(., $t)]", t=text)
    assert len(found) == 1, (text, len(found))
    assert found[0].get("role") == "status"


def _nothing_queued(response):
    assert [str(m) for m in get_messages(response.wsgi_request)] == []


def _decision(reunion, pilote, **fields):
    return services.decision_create(
        point=reunion.points.get(fiche__numero=1),
        auteur=pilote,
        fields={"categorie": "autre", "texte": "Relancer la CAF"} | fields,
    )


def test_recorded_decision_is_confirmed_once(client, pilote, reunion):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    before = client.get(url("seance_fiche", reunion, 1))
    prefix = f"n{point.pk}"
    data = {f"{prefix}-categorie": "autre", f"{prefix}-texte": "Relancer la CAF"}
    address = url("decision_create", reunion, 1)
    response = client.post(address, data, **HTMX)
    assert response.status_code == 200
    _nothing_queued(response)
    page = update_page_with_htmx(fill(before, **data), f"//form[@hx-post='{address}']", response)
    _said_once(page, "Décision consignée.")


@pytest.mark.parametrize(
    ("name", "text"),
    [("decision_apply", "Décision appliquée à la fiche."), ("decision_close", "Décision close.")],
)
def test_applied_or_closed_decision_is_confirmed_once(client, pilote, reunion, name, text):
    decision = _decision(
        reunion,
        pilote,
        categorie="acteurs",
        changement={"action": "ajouter_acteur", "nom": "CAF de la Creuse"},
    )
    client.force_login(pilote)
    before = client.get(url("seance_fiche", reunion, 1))
    address = reverse(f"reunions:{name}", args=[reunion.contrat_id, decision.pk])
    response = client.post(address, {"courante": "1"}, **HTMX)
    assert response.status_code == 200
    _nothing_queued(response)
    page = update_page_with_htmx(before, f"//form[@hx-post='{address}']", response)
    _said_once(page, text)


def test_modified_decision_is_confirmed_once(client, pilote, reunion):
    decision = _decision(reunion, pilote)
    client.force_login(pilote)
    address = reverse("reunions:decision", args=[reunion.contrat_id, decision.pk])
    prefix = f"d{decision.pk}"
    response = client.post(
        address,
        {
            f"{prefix}-categorie": "autre",
            f"{prefix}-texte": "Relancer la CAF avant juin",
            f"{prefix}-version": str(decision.version),
        },
        **HTMX,
    )
    assert response.status_code == 200
    _nothing_queued(response)
    assert response.content.decode().count("Décision modifiée.") == 1


def test_saved_note_is_not_queued_as_a_message(client, pilote, reunion):
    client.force_login(pilote)
    response = client.post(
        url("note", reunion, 1, "positifs"), {"texte": "Bon partenariat"}, **HTMX
    )
    assert response.status_code == 200
    _nothing_queued(response)


def test_participant_added_or_removed_is_confirmed_once(client, contrat, pilote, reunion):
    invite = UserFactory(first_name="Inès", last_name="Invitée")
    grant(invite, contrat, "lecteur")
    client.force_login(pilote)
    address = reverse("reunions:participants", args=[contrat.pk, reunion.pk])
    response = client.post(address, {"action": "ajouter", "user": invite.pk}, **HTMX)
    assert response.status_code == 200
    _nothing_queued(response)
    before = client.get(url("detail", reunion))
    page = update_page_with_htmx(
        before, "#participants-liste", response, target="#participants-liste", swap="outerHTML"
    )
    _said_once(page, "est ajouté(e) aux participants.")
    participation = reunion.participations.get(user=invite)
    response = client.post(
        address, {"action": "retirer", "participation": participation.pk}, **HTMX
    )
    assert response.status_code == 200
    _nothing_queued(response)
    assert response.content.decode().count("est retiré(e) des participants.") == 1
    # Sans HTMX, la confirmation est un message de la page suivante, une fois.
    response = client.post(address, {"action": "ajouter", "user": invite.pk}, follow=True)
    assert response.content.decode().count("est ajouté(e) aux participants.") == 1

"""Note de séance et données personnelles : une note qui en contient n'est vue ni des
autres participants ni du compte rendu tant que son auteur ne l'a pas reformulée ou
confirmée ; la confirmation est tracée."""

import pytest

from pilotage.core.models import PersonalDataConfirmation
from pilotage.reunions.documents.content import compte_rendu_content
from pilotage.reunions.models import NoteSeance
from tests.factories import UserFactory, grant, make_comite_suivi
from tests.reunions.helpers import url

HTMX = {"HTTP_HX_REQUEST": "true"}
AUDIT = "Mme Dupont née le 12/03/2015, tél 06 12 34 56 78"


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote)


@pytest.fixture
def autre_pilote(contrat):
    user = UserFactory(first_name="Paul", last_name="Autre")
    grant(user, contrat)
    return user


@pytest.fixture
def note_url(reunion):
    return url("note", reunion, 1, "positifs")


def seen_by(client, user, note_url) -> str:
    client.force_login(user)
    return client.get(note_url, **HTMX).content.decode()


def minutes(reunion, viewer) -> list[str]:
    content = compte_rendu_content(reunion, viewer=viewer)
    return [text for fiche in content.fiches for text in fiche.positifs]


def test_a_note_with_personal_data_is_saved_but_neither_broadcast_nor_in_the_minutes(
    client, pilote, autre_pilote, reunion, note_url
):
    client.force_login(pilote)
    response = client.post(note_url, {"texte": AUDIT}, **HTMX)
    body = response.content.decode()
    assert "pas encore partagé" in body
    assert "<mark" in body
    assert NoteSeance.objects.get().texte == AUDIT
    assert "Dupont" not in seen_by(client, autre_pilote, note_url)
    assert minutes(reunion, autre_pilote) == []


def test_the_others_keep_seeing_the_last_shared_version(
    client, pilote, autre_pilote, reunion, note_url
):
    client.force_login(pilote)
    client.post(note_url, {"texte": "Atelier parents à Guéret"}, **HTMX)
    client.post(note_url, {"texte": f"Atelier parents à Guéret. {AUDIT}"}, **HTMX)
    seen = seen_by(client, autre_pilote, note_url)
    assert "Atelier parents à Guéret" in seen
    assert "Dupont" not in seen
    assert minutes(reunion, autre_pilote) == ["Atelier parents à Guéret"]


def test_a_rephrased_note_is_shared_at_once(client, pilote, autre_pilote, reunion, note_url):
    client.force_login(pilote)
    client.post(note_url, {"texte": AUDIT}, **HTMX)
    response = client.post(note_url, {"texte": "Une mère de trois enfants reçue"}, **HTMX)
    assert "pas encore partagé" not in response.content.decode()
    assert "Une mère de trois enfants reçue" in seen_by(client, autre_pilote, note_url)


def test_the_author_confirmation_shares_the_note_and_is_traced(
    client, pilote, autre_pilote, reunion, note_url
):
    client.force_login(pilote)
    client.post(note_url, {"texte": AUDIT}, **HTMX)
    response = client.post(note_url, {"texte": AUDIT, "confirme": "on"}, **HTMX)
    assert "pas encore partagé" not in response.content.decode()
    assert "Dupont" in seen_by(client, autre_pilote, note_url)
    assert minutes(reunion, autre_pilote) == [AUDIT]
    (trace,) = PersonalDataConfirmation.objects.all()
    assert trace.user == pilote
    assert set(trace.kinds) == {"nom", "date_naissance", "telephone"}


def test_the_author_sees_the_warning_again_when_the_page_is_reloaded(
    client, pilote, reunion, note_url
):
    client.force_login(pilote)
    client.post(note_url, {"texte": AUDIT}, **HTMX)
    page = client.get(url("seance_fiche", reunion, 1)).content.decode()
    assert "pas encore partagé" in page
    assert "Partager quand même" in page


def test_without_javascript_the_author_is_told_the_note_is_not_shared(client, pilote, note_url):
    from django.contrib.messages import get_messages

    client.force_login(pilote)
    response = client.post(note_url, {"texte": AUDIT})
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Votre note est enregistrée mais pas encore partagée : elle contient des passages "
        "qui ressemblent à des données personnelles. Reformulez-les, ou confirmez."
    ]

"""Note de séance enregistrée au fil de la frappe : un caractère invisible (NUL…) est
retiré sans perdre le texte ; un texte trop long est refusé à la place de « Enregistré »,
sans effacer la note déjà enregistrée."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from pilotage.core.free_text import TEXT_LIMITS
from pilotage.reunions import services
from pilotage.reunions.models import NoteSeance
from tests.factories import make_comite_suivi
from tests.reunions.helpers import url

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LONG = "a." * (TEXT_LIMITS["note"] // 2) + "@b"
TOO_LONG_MESSAGE = (
    "Ce texte dépasse 20\xa0000 caractères (il en compte 20\xa0002) : raccourcissez-le."
)


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote)


@pytest.fixture
def note_url(reunion):
    return url("note", reunion, 1, "positifs")


def saved():
    return NoteSeance.objects.get(encart="positifs").texte


def test_htmx_autosave_drops_a_nul_character_and_keeps_the_text(client, pilote, note_url):
    client.force_login(pilote)
    response = client.post(note_url, {"texte": "Atelier\x00 parents à Guéret"}, **HTMX)
    assert response.status_code == 200
    assert "Enregistré à" in response.content.decode()
    assert saved() == "Atelier parents à Guéret"


def test_plain_post_drops_a_nul_character_and_keeps_the_text(client, pilote, note_url):
    client.force_login(pilote)
    response = client.post(note_url, {"texte": "Ligne 1\r\n\tLigne\x00 2\x1b"})
    assert response.status_code == 302
    # Fins de ligne du navigateur normalisées (core.free_text.normalise_text), tabulation gardée.
    assert saved() == "Ligne 1\n\tLigne 2"
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Votre note est enregistrée."
    ]


def test_htmx_autosave_of_a_too_long_note_says_why_and_keeps_the_saved_note(
    client, pilote, note_url
):
    client.force_login(pilote)
    client.post(note_url, {"texte": "Première version"}, **HTMX)
    response = client.post(note_url, {"texte": TOO_LONG}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enregistré" not in html
    assert f"Non enregistré : {TOO_LONG_MESSAGE}" in html
    assert saved() == "Première version"


def test_plain_post_of_a_too_long_note_says_why_and_keeps_the_saved_note(
    client, pilote, note_url, reunion
):
    client.force_login(pilote)
    client.post(note_url, {"texte": "Première version"})
    response = client.post(note_url, {"texte": TOO_LONG})
    assert response.status_code == 302
    assert response["Location"] == url("seance_fiche", reunion, 1)
    assert [m.message for m in get_messages(response.wsgi_request)][-1] == TOO_LONG_MESSAGE
    assert saved() == "Première version"


def test_the_service_bounds_the_note_and_drops_control_characters(pilote, reunion):
    point = reunion.points.get(fiche__numero=1)
    with pytest.raises(ValidationError) as error:
        services.note_save(point=point, encart="positifs", auteur=pilote, texte=TOO_LONG)
    assert error.value.messages == [TOO_LONG_MESSAGE]
    assert not NoteSeance.objects.exists()
    note = services.note_save(point=point, encart="positifs", auteur=pilote, texte="a\x00b")
    note.refresh_from_db()
    assert note.texte == "ab"

"""Textes enregistrés depuis le navigateur : fins de ligne, espaces en fin de ligne et
lignes vides finales normalisés en un seul endroit (`core/free_text.normalise_text`), pour
qu'une rubrique non touchée ne soit jamais inscrite comme modifiée et qu'une fiche
exportée se réimporte sans changement."""

import pytest

from pilotage.contrats.models import FicheAction
from pilotage.contrats.services import fiche_update
from pilotage.core.free_text import normalise_text
from pilotage.core.models import Revision
from tests.contrats.helpers import fiche_post_data


@pytest.fixture
def pilot_client(client, pilote):
    client.force_login(pilote)
    return client


def edit_url(fiche):
    return f"/contrats/{fiche.contrat_id}/fiches/{fiche.numero}/modifier/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a  \nb\t\n", "a\nb"),
        ("a\n\n\n", "a"),
        ("  - retrait gardé\n", "  - retrait gardé"),
        ("a\n\nb", "a\n\nb"),
        ("", ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_an_untouched_multiline_field_sent_with_crlf_is_not_recorded_as_changed(
    pilot_client, fiche
):
    fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        fields={"constat": "Premier point.\n- un\n- deux", "description": "Ligne 1\n\nLigne 2"},
    )
    revisions = Revision.objects.for_object(fiche).count()
    # Le navigateur renvoie chaque zone de texte avec des fins de ligne « \r\n ».
    data = fiche_post_data(fiche)
    data["constat"] = data["constat"].replace("\n", "\r\n")
    data["description"] = data["description"].replace("\n", "\r\n") + "\r\n"
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 302
    assert Revision.objects.for_object(fiche).count() == revisions
    assert FicheAction.objects.get(pk=fiche.pk).version == 2


def test_trailing_spaces_typed_in_the_browser_are_not_stored(pilot_client, fiche):
    data = fiche_post_data(fiche, constat="Un constat.   \r\nSuite.  \r\n\r\n")
    assert pilot_client.post(edit_url(fiche), data).status_code == 302
    assert FicheAction.objects.get(pk=fiche.pk).constat == "Un constat.\nSuite."


def test_a_service_caller_gets_the_same_normalisation(fiche):
    saved = fiche_update(
        fiche=fiche, user=None, expected_version=1, fields={"description": "Texte  \r\nfin\r\n"}
    )
    assert saved.description == "Texte\nfin"

"""Traces (pièces justificatives) des relevés : ajout, formats refusés, visibilité."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi.models import Releve, Trace


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def _upload(client, demo, releve, name, data):
    return client.post(
        f"/contrats/{demo.pk}/releves/{releve.pk}/traces/",
        {"fichier": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_the_author_attaches_a_trace_and_a_colleague_downloads_it(client, demo):
    draft = Releve.objects.get(statut="brouillon")
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = _upload(
        client, demo, draft, "compte-rendu.pdf", b"%PDF-1.7 compte rendu"
    ).content.decode()
    assert "La trace a été jointe au relevé." in page
    trace = Trace.objects.get()
    client.login(username="referent@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(f"/contrats/{demo.pk}/releves/{draft.pk}/traces/{trace.pk}")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 compte rendu"


def test_an_executable_is_refused_with_a_french_message(client, demo):
    draft = Releve.objects.get(statut="brouillon")
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = _upload(client, demo, draft, "outil.exe", b"MZ...").content.decode()
    assert "Format non accepté" in page
    assert not Trace.objects.exists()


def test_a_shared_releve_no_longer_accepts_traces(client, demo):
    shared = Releve.objects.get(statut="partage")
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = _upload(client, demo, shared, "note.txt", b"note").content.decode()
    assert "Un relevé partagé ne se modifie plus." in page
    assert not Trace.objects.exists()


def test_another_institution_cannot_reach_the_traces_of_a_draft(client, demo):
    draft = Releve.objects.get(statut="brouillon")
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    _upload(client, demo, draft, "note.txt", b"note")
    trace = Trace.objects.get()
    client.login(username="pilote.ars@demo.pilotage.test", password=DEMO_PASSWORD)
    assert (
        client.get(f"/contrats/{demo.pk}/releves/{draft.pk}/traces/{trace.pk}").status_code == 404
    )
    assert _upload(client, demo, draft, "x.txt", b"x").status_code == 404

"""Téléchargement des traces : seulement par la vue qui vérifie l'accès, jamais par
/media/, avec le type tiré des octets et des en-têtes de pièce jointe."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi.models import Releve, Trace
from tests.media import assert_download_headers, development_urls, media_url

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


@pytest.fixture
def draft(demo):
    return Releve.objects.get(statut="brouillon")


def _attach(client, demo, releve, name, data) -> Trace:
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    client.post(
        f"/contrats/{demo.pk}/releves/{releve.pk}/traces/",
        {"fichier": SimpleUploadedFile(name, data)},
    )
    return Trace.objects.get()


def _download_url(demo, releve, trace) -> str:
    return f"/contrats/{demo.pk}/releves/{releve.pk}/traces/{trace.pk}"


def test_no_media_route_serves_a_draft_trace_even_in_development(client, settings, demo, draft):
    trace = _attach(client, demo, draft, "entretien.pdf", b"%PDF-1.7 entretien")
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    with development_urls(settings):
        assert client.get(media_url(trace.fichier)).status_code == 404
        client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
        assert client.get(media_url(trace.fichier)).status_code == 404


def test_a_user_of_another_departement_gets_404_on_the_trace_download(client, demo, draft):
    trace = _attach(client, demo, draft, "entretien.pdf", b"%PDF-1.7 entretien")
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(_download_url(demo, draft, trace)).status_code == 404


def test_a_trace_is_stored_under_a_random_name_that_reveals_nothing(client, demo, draft):
    trace = _attach(client, demo, draft, "entretien famille Martin.pdf", b"%PDF-1.7 x")
    assert re.fullmatch(r"traces/\d{4}/[0-9a-f]{32}\.pdf", trace.fichier.name)
    assert trace.nom == "entretien famille Martin.pdf"


def test_a_pdf_trace_is_downloaded_as_a_pdf_attachment(client, demo, draft):
    trace = _attach(client, demo, draft, "entretien.pdf", b"%PDF-1.7 entretien")
    response = client.get(_download_url(demo, draft, trace))
    assert assert_download_headers(response, "application/pdf", "entretien.pdf") == (
        b"%PDF-1.7 entretien"
    )


def test_html_uploaded_as_a_text_trace_is_served_as_plain_text_never_as_a_page(client, demo, draft):
    trace = _attach(client, demo, draft, "note.txt", HTML)
    response = client.get(_download_url(demo, draft, trace))
    assert_download_headers(response, "text/plain; charset=utf-8", "note.txt")


def test_a_pdf_named_as_an_image_is_served_as_a_pdf_under_the_pdf_extension(client, demo, draft):
    trace = _attach(client, demo, draft, "photo.png", b"%PDF-1.7 pas une image")
    response = client.get(_download_url(demo, draft, trace))
    assert_download_headers(response, "application/pdf", "photo.pdf")


def test_a_lost_trace_file_answers_404_not_500(client, demo, draft):
    trace = _attach(client, demo, draft, "entretien.pdf", b"%PDF-1.7 entretien")
    trace.fichier.storage.delete(trace.fichier.name)
    assert client.get(_download_url(demo, draft, trace)).status_code == 404

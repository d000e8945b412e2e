"""Comptes rendus archivés (validés, figés) : téléchargés seulement par la vue qui
vérifie l'accès au contrat, jamais par /media/, avec les en-têtes de pièce jointe."""

import re

import pytest

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.models import Reunion
from tests.media import assert_download_headers, development_urls, media_url
from tests.reunions.helpers import url

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def figee(demo_data):
    creuse = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    return creuse.reunions.get(statut=Reunion.Statut.FIGEE)


def _login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


def test_archived_minutes_are_stored_under_random_names(figee):
    for stored, ext in ((figee.compte_rendu_pdf, "pdf"), (figee.compte_rendu_docx, "docx")):
        assert re.fullmatch(rf"comptes-rendus/\d{{4}}/[0-9a-f]{{32}}\.{ext}", stored.name)


def test_no_media_route_serves_archived_minutes_even_in_development(client, settings, figee):
    with development_urls(settings):
        for username in ("pilote.41@demo.pilotage.test", "lecteur@demo.pilotage.test"):
            _login(client, username)
            for stored in (figee.compte_rendu_pdf, figee.compte_rendu_docx):
                assert client.get(media_url(stored)).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_user_of_another_departement_gets_404_on_archived_minutes(client, figee, fmt):
    _login(client, "pilote.41@demo.pilotage.test")
    assert client.get(url("compte_rendu_export", figee, fmt)).status_code == 404


@pytest.mark.parametrize("fmt,content_type", [("pdf", PDF), ("docx", DOCX)])
def test_a_reader_downloads_the_archived_minutes_as_an_attachment(client, figee, fmt, content_type):
    _login(client, "lecteur@demo.pilotage.test")
    response = client.get(url("compte_rendu_export", figee, fmt))
    data = assert_download_headers(response, content_type, f"compte-rendu-23-2026-03-12.{fmt}")
    with (figee.compte_rendu_pdf if fmt == "pdf" else figee.compte_rendu_docx).open("rb") as f:
        assert data == f.read()


@pytest.mark.parametrize("name", ["dossier_export", "compte_rendu_export"])
def test_generated_meeting_documents_carry_the_download_headers(client, figee, name):
    _login(client, "lecteur@demo.pilotage.test")
    prevue = figee.contrat.reunions.get(statut=Reunion.Statut.PLANIFIEE)
    response = client.get(url(name, prevue, "pdf"))
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"

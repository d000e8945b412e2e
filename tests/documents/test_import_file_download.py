"""Document importé : relu seulement par la vue qui vérifie l'accès, jamais par /media/,
servi avec le type tiré de ses octets (un Word nommé « poly.html » reste un Word)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.documents.models import DocumentImporte
from tests.factories import ContratFactory, UserFactory, grant
from tests.media import assert_download_headers, development_urls, media_url

PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def polyglot_docx(creuse_docx) -> bytes:
    """Un Word valide dont les octets portent aussi une page HTML (membre non compressé)."""
    buffer = io.BytesIO(creuse_docx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("customXml/page.txt", PAYLOAD, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


@pytest.fixture
def scene(db, creuse, correze):
    contrat = ContratFactory(departement=creuse)
    pilote = UserFactory()
    grant(pilote, contrat)
    etranger = UserFactory()
    grant(etranger, ContratFactory(departement=correze))
    return contrat, pilote, etranger


def _upload(client, contrat, pilote, name, data) -> DocumentImporte:
    client.force_login(pilote)
    response = client.post(
        f"/contrats/{contrat.pk}/import/", {"fichier": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()
    return DocumentImporte.objects.get()


def _file_url(contrat, document) -> str:
    return f"/contrats/{contrat.pk}/import/{document.pk}/fichier"


def test_a_word_uploaded_as_poly_html_is_downloaded_as_a_word_attachment(
    client, scene, polyglot_docx
):
    contrat, pilote, _ = scene
    document = _upload(client, contrat, pilote, "poly.html", polyglot_docx)
    response = client.get(_file_url(contrat, document))
    assert assert_download_headers(response, DOCX, "poly.docx") == polyglot_docx


def test_no_media_route_serves_an_imported_document_even_in_development(
    client, settings, scene, polyglot_docx
):
    contrat, pilote, etranger = scene
    document = _upload(client, contrat, pilote, "poly.html", polyglot_docx)
    assert re.fullmatch(r"imports/\d{4}/[0-9a-f]{32}", document.fichier.name)
    with development_urls(settings):
        client.force_login(etranger)
        assert client.get(media_url(document.fichier)).status_code == 404
        client.force_login(pilote)
        assert client.get(media_url(document.fichier)).status_code == 404


def test_a_user_of_another_departement_gets_404_on_the_imported_file(client, scene, creuse_docx):
    contrat, pilote, etranger = scene
    document = _upload(client, contrat, pilote, "fiches.docx", creuse_docx)
    client.force_login(etranger)
    assert client.get(_file_url(contrat, document)).status_code == 404

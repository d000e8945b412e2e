"""Fichiers privés (`core.files`) : type tiré des octets, nom proposé, en-têtes de
téléchargement, rangement sous un nom aléatoire, aucun dossier servi tel quel."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve

from pilotage.core import files
from tests.media import development_urls


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'
SAMPLES = {
    "pdf": (b"%PDF-1.7\n...", files.PDF),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00", files.PNG),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", files.JPEG),
    "docx": (
        _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"}),
        files.DOCX,
    ),
    "xlsx": (_zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<w/>"}), files.XLSX),
    "odt": (_zip({"mimetype": files.ODT.encode(), "content.xml": b"<c/>"}), files.ODT),
    "ods": (_zip({"mimetype": files.ODS.encode(), "content.xml": b"<c/>"}), files.ODS),
    "docm": (
        _zip(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "word/document.xml": b"<w/>",
                "word/vbaProject.bin": b"\x00",
            }
        ),
        files.OCTET_STREAM,
    ),
    "zip": (_zip({"page.html": b"<script>alert(1)</script>"}), files.OCTET_STREAM),
    "broken zip": (b"PK\x03\x04 tronque", files.OCTET_STREAM),
    "utf-8 text": ("Compte rendu : visite à domicile\n".encode(), files.TEXT_UTF8),
    "latin-1 csv": ("date;lieu\n12/03;Guéret\n".encode("latin-1"), files.TEXT),
    "html": (b"<html><script>alert(1)</script></html>", files.TEXT_UTF8),
    "exe": (b"MZ\x90\x00\x03\x00", files.OCTET_STREAM),
    "empty": (b"", files.TEXT_UTF8),
}


@pytest.mark.parametrize("kind", SAMPLES)
def test_the_content_type_comes_from_the_bytes(kind):
    data, expected = SAMPLES[kind]
    handle = io.BytesIO(data)
    assert files.sniff_content_type(handle) == expected
    assert handle.tell() == 0


def test_a_utf8_character_cut_by_the_sniffed_prefix_is_still_text():
    data = b"a" * (files.HEAD_BYTES - 1) + "é".encode()
    assert files.sniff_content_type(io.BytesIO(data)) == files.TEXT_UTF8


@pytest.mark.parametrize(
    "name,content_type,expected",
    [
        ("poly.html", files.DOCX, "poly.docx"),
        ("compte rendu.PDF", files.PDF, "compte rendu.pdf"),
        ("photo.jpeg", files.JPEG, "photo.jpeg"),
        ("../../etc/passwd", files.TEXT_UTF8, "passwd.txt"),
        ("C:\\Users\\agent\\note.txt", files.TEXT_UTF8, "note.txt"),
        ('a"b;\r\nSet-Cookie: x.pdf', files.PDF, "a_b___Set-Cookie_ x.pdf"),
        ("...", files.PDF, "fichier.pdf"),
        ("outil.exe", files.OCTET_STREAM, "outil.bin"),
    ],
)
def test_the_download_name_has_no_path_and_the_extension_of_the_real_type(
    name, content_type, expected
):
    assert files.download_name(name, content_type) == expected


def test_a_non_ascii_name_is_given_in_utf8_with_an_ascii_fallback():
    response = files.attachment(HttpResponse(b"x"), "réunion n°2 – 12/03.pdf")
    assert response["Content-Disposition"] == (
        'attachment; filename="reunion n2  12_03.pdf"; '
        "filename*=UTF-8''r%C3%A9union%20n%C2%B02%20%E2%80%93%2012%2F03.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"


class _Field:
    """Ce que la vue passe : un fichier de modèle (nom et stockage)."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name

    def __bool__(self):
        return bool(self.name)


def test_a_private_file_is_read_through_the_storage_and_served_as_an_attachment(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("traces/2026/abc.html", ContentFile(SAMPLES["docx"][0]))
    response = files.private_file_response(_Field(storage, name), "poly.html")
    assert response["Content-Type"] == files.DOCX
    assert "filename*=UTF-8''poly.docx" in response["Content-Disposition"]
    assert response.getvalue() == SAMPLES["docx"][0]
    response.file_to_stream.close()


@pytest.mark.parametrize("name", ["", "traces/2026/disparu.pdf"])
def test_a_missing_private_file_is_a_404(tmp_path, name):
    with pytest.raises(Http404):
        files.private_file_response(_Field(FileSystemStorage(location=tmp_path), name), "x.pdf")


def test_stored_names_are_random_and_keep_only_a_known_extension():
    upload_to = files.PrivateUploadTo("traces")
    first = upload_to(None, "entretien famille Martin.PDF")
    assert re.fullmatch(r"traces/\d{4}/[0-9a-f]{32}\.pdf", first)
    assert upload_to(None, "entretien famille Martin.PDF") != first
    assert re.fullmatch(r"traces/\d{4}/[0-9a-f]{32}", upload_to(None, "poly.html"))
    assert re.fullmatch(r"traces/\d{4}/[0-9a-f]{32}", upload_to(None, "../../x"))


def test_the_files_folder_is_outside_every_served_static_folder():
    from config import settings as config

    media = Path(config.MEDIA_ROOT).resolve()
    for served in (config.STATIC_ROOT, *config.STATICFILES_DIRS):
        served = Path(served).resolve()
        assert media != served and served not in media.parents and media not in served.parents


def test_no_route_serves_the_files_folder_even_in_development(settings):
    with development_urls(settings):
        for path in ("/media/traces/2026/x.pdf", "/media/comptes-rendus/2026/x.pdf"):
            with pytest.raises(Resolver404):
                resolve(path)

"""Dépôts refusés : type lu dans les octets (un fichier renommé ne passe pas), taille,
archive piégée, macros, ancien format ; message clair en français."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.core import files
from pilotage.espace import fichiers
from pilotage.espace.fichiers import fichier_verifier
from pilotage.espace.models import Ressource

from .conftest import docx_bytes


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_avec(extra: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return _zip({**members, **extra})


def test_un_vrai_docx_est_accepte_meme_mal_nomme():
    assert fichier_verifier(docx_bytes(), filename="guide.pdf") == files.DOCX


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00programme", "guide.pdf"),
        (b"<html><script>alert(1)</script></html>", "guide.docx"),
        (b"Un simple texte", "notes.pdf"),
        (_zip({"a.txt": b"bonjour"}), "archive.docx"),
    ],
)
def test_un_fichier_renomme_est_refuse_d_apres_son_contenu(data, filename):
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(data, filename=filename)
    assert exc.value.messages == [fichiers.FORMAT_REFUSE]


def test_un_fichier_trop_gros_est_refuse(client, pilote_23, espace_23, rubrique):
    with pytest.raises(ValidationError, match="20 Mo"):
        fichier_verifier(b"%PDF-1.7" + b"0" * fichiers.MAX_BYTES)
    client.force_login(pilote_23)
    response = client.post(
        reverse("espace:ressource_nouvelle", args=[espace_23.cle]),
        {
            "titre": "Gros",
            "rubrique": rubrique.pk,
            "resume": "R",
            "fichier": SimpleUploadedFile("gros.pdf", b"%PDF-1.7" + b"0" * fichiers.MAX_BYTES),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["fichier"] == [fichiers.TROP_GROS]
    assert "20 Mo au plus" in response.text
    assert not Ressource.objects.exists()


def test_une_archive_piegee_est_refusee():
    """Un membre de 50 Mo de zéros, compressé mille fois : refusé sur sa taille déclarée."""
    bombe = _docx_avec({"word/media/zeros.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(bombe) < fichiers.MAX_BYTES
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(bombe, filename="guide.docx")
    assert exc.value.messages == [fichiers.ARCHIVE_PIEGEE]


def test_une_archive_piegee_refusee_par_le_formulaire(client, pilote_23, espace_23, rubrique):
    bombe = _docx_avec({"word/media/zeros.bin": b"\0" * (50 * 1024 * 1024)})
    client.force_login(pilote_23)
    response = client.post(
        reverse("espace:ressource_nouvelle", args=[espace_23.cle]),
        {
            "titre": "Bombe",
            "rubrique": rubrique.pk,
            "resume": "R",
            "fichier": SimpleUploadedFile("guide.docx", bombe),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["fichier"] == [fichiers.ARCHIVE_PIEGEE]
    assert not Ressource.objects.exists()


def test_un_document_a_macros_est_refuse():
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(_docx_avec({"word/vbaProject.bin": b"macro"}), filename="guide.docx")
    assert exc.value.messages == [fichiers.MACROS]
    with pytest.raises(ValidationError):
        fichier_verifier(docx_bytes(), filename="guide.docm")


def test_un_opendocument_a_macros_est_refuse():
    odt = _zip(
        {
            "mimetype": files.ODT.encode(),
            "content.xml": b"<?xml version='1.0' encoding='UTF-8'?><office:document-content/>",
            "Basic/Standard/Module1.xml": b"<?xml version='1.0' encoding='UTF-8'?><m/>",
        }
    )
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(odt, filename="guide.odt")
    assert exc.value.messages == [fichiers.MACROS]


def test_un_xml_avec_entites_est_refuse():
    piege = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(_docx_avec({"word/piege.xml": piege}), filename="guide.docx")
    assert exc.value.messages == [fichiers.XML_REFUSE]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", fichiers.VIDE),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, fichiers.ANCIEN_FORMAT),
        (b"PK\x03\x04" + b"\0" * 100, fichiers.ENDOMMAGE),
    ],
)
def test_fichier_vide_ancien_ou_endommage(data, message):
    with pytest.raises(ValidationError) as exc:
        fichier_verifier(data, filename="x.docx")
    assert exc.value.messages == [message]


@pytest.mark.parametrize(
    ("data", "attendu"),
    [
        (b"%PDF-1.7\n", files.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, files.PNG),
        (b"\xff\xd8\xff\xe0" + b"\0" * 16, files.JPEG),
    ],
)
def test_les_formats_acceptes(data, attendu):
    assert fichier_verifier(data) == attendu

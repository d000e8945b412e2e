"""Fichiers enregistrés dans un compartiment S3 (ici un serveur S3 local, moto, sur la
boucle locale) : déposés par la vraie vue ou le vrai service, rangés en objets privés,
servis seulement par la vue qui vérifie l'accès (type tiré des octets, pièce jointe,
`nosniff`) ; aucune adresse S3 ne les donne à qui n'a pas les clés."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.models import Reunion
from pilotage.reunions.services.compte_rendu import compte_rendu_archive
from pilotage.suivi.models import Releve, Trace
from tests.media import assert_download_headers
from tests.reunions.helpers import url

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "pilotage-fichiers"
KEYS = {"access_key": "cle-de-test", "secret_key": "secret-de-test"}
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- Réglages (sans base) -------------------------------------------------------------

PRINT_STORAGE = (
    "import django; django.setup(); from django.conf import settings; "
    "s = settings.STORAGES['default']; o = s.get('OPTIONS', {}); "
    "print(s['BACKEND'], o.get('bucket_name'), o.get('default_acl'), o.get('querystring_auth'))"
)


def _storage_in_production(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "STORAGE_"))
    }
    clean |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PILOTAGE_ENV_FILE": "/nonexistent",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "pilotage.example.gouv.fr",
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_STORAGE],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
    )


def test_files_stay_on_disk_without_a_bucket():
    result = _storage_in_production()
    assert result.stdout.split()[0] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_name_switches_to_private_s3_objects_without_signed_addresses():
    result = _storage_in_production(AWS_STORAGE_BUCKET_NAME=BUCKET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", BUCKET, "private", "False"]


def test_s3_without_a_bucket_refuses_to_start_with_a_french_message():
    result = _storage_in_production(STORAGE_BACKEND="s3")
    assert result.returncode != 0
    assert "STORAGE_BACKEND=s3 demande AWS_STORAGE_BUCKET_NAME" in result.stderr


# --- Serveur S3 local -----------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_server():
    """Un serveur S3 (moto) sur 127.0.0.1, port libre, et son compartiment."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    client.close()
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """Le stockage par défaut dans le compartiment, avec les options de production
    (`S3_STORAGE_OPTIONS` : objets privés, pas d'adresse signée) ; vidé après le test."""
    endpoint, client = s3_server
    options = {
        **settings.S3_STORAGE_OPTIONS,
        **KEYS,
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "addressing_style": "path",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _stored(client, name: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=name)["Body"].read()


def _anonymous_status(address: str) -> int:
    """Ce que répond l'adresse à quelqu'un qui n'a pas les clés (navigateur, lien copié)."""
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


# --- Traces d'un relevé ---------------------------------------------------------------


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


@pytest.fixture
def trace(client, demo, s3, settings):
    """Une trace déposée par la page du relevé (contributeur de l'institution de l'auteur)."""
    draft = Releve.objects.get(statut="brouillon")
    _login(client, "contributeur@demo.pilotage.test")
    client.post(
        f"/contrats/{demo.pk}/releves/{draft.pk}/traces/",
        {"fichier": SimpleUploadedFile("entretien.pdf", b"%PDF-1.7 entretien")},
    )
    return Trace.objects.get()


def _trace_url(trace) -> str:
    releve = trace.releve
    return f"/contrats/{releve.fiche.contrat_id}/releves/{releve.pk}/traces/{trace.pk}"


def test_a_trace_is_stored_as_a_private_s3_object_and_not_on_disk(trace, s3, settings):
    assert _stored(s3, trace.fichier.name) == b"%PDF-1.7 entretien"
    assert not (Path(settings.MEDIA_ROOT) / trace.fichier.name).exists()
    grants = s3.get_object_acl(Bucket=BUCKET, Key=trace.fichier.name)["Grants"]
    assert all(
        "URI" not in grant["Grantee"] for grant in grants
    )  # ni AllUsers, ni AuthenticatedUsers


def test_the_trace_is_downloaded_from_s3_through_the_access_checked_view(client, trace):
    response = client.get(_trace_url(trace))
    assert assert_download_headers(response, PDF, "entretien.pdf") == b"%PDF-1.7 entretien"


def test_a_user_of_another_departement_gets_404_on_a_trace_stored_on_s3(client, trace):
    _login(client, "pilote.41@demo.pilotage.test")
    assert client.get(_trace_url(trace)).status_code == 404


def test_no_s3_address_serves_the_trace_to_someone_without_the_keys(trace, s3_server):
    endpoint, _client = s3_server
    assert _anonymous_status(f"{endpoint}/{BUCKET}/{trace.fichier.name}") == 403
    # L'adresse que donnerait `.url` (jamais utilisée) n'est pas signée et ne sert rien.
    address = default_storage.url(trace.fichier.name)
    assert "Signature" not in address
    assert _anonymous_status(address) == 403


def test_the_type_comes_from_the_bytes_read_on_s3_not_from_the_name(client, demo, s3):
    draft = Releve.objects.get(statut="brouillon")
    _login(client, "contributeur@demo.pilotage.test")
    client.post(
        f"/contrats/{demo.pk}/releves/{draft.pk}/traces/",
        {"fichier": SimpleUploadedFile("photo.png", b"%PDF-1.7 pas une image")},
    )
    response = client.get(_trace_url(Trace.objects.get()))
    assert_download_headers(response, PDF, "photo.pdf")


def test_a_trace_lost_on_s3_answers_404_not_500(client, trace, s3):
    s3.delete_object(Bucket=BUCKET, Key=trace.fichier.name)
    assert client.get(_trace_url(trace)).status_code == 404


# --- Comptes rendus archivés ----------------------------------------------------------


@pytest.fixture
def figee(demo, s3):
    """Le compte rendu figé de la démonstration, archivé de nouveau dans le compartiment."""
    return compte_rendu_archive(reunion=demo.reunions.get(statut=Reunion.Statut.FIGEE))


@pytest.mark.parametrize("fmt,content_type", [("pdf", PDF), ("docx", DOCX)])
def test_archived_minutes_on_s3_are_downloaded_through_the_access_checked_view(
    client, figee, s3, fmt, content_type
):
    stored = figee.compte_rendu_pdf if fmt == "pdf" else figee.compte_rendu_docx
    _login(client, "lecteur@demo.pilotage.test")
    response = client.get(url("compte_rendu_export", figee, fmt))
    data = assert_download_headers(response, content_type, f"compte-rendu-23-2026-03-12.{fmt}")
    assert data == _stored(s3, stored.name)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_user_of_another_departement_gets_404_on_archived_minutes_on_s3(client, figee, fmt):
    _login(client, "pilote.41@demo.pilotage.test")
    assert client.get(url("compte_rendu_export", figee, fmt)).status_code == 404


def test_no_s3_address_serves_the_archived_minutes_to_someone_without_the_keys(figee, s3_server):
    endpoint, _client = s3_server
    for stored in (figee.compte_rendu_pdf, figee.compte_rendu_docx):
        assert _anonymous_status(f"{endpoint}/{BUCKET}/{stored.name}") == 403

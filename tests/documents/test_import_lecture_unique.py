"""Le document déposé n'est lu qu'une fois du dépôt à la confirmation (un PDF de 40
fiches demande une vingtaine de secondes de lecture)."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.contrats.models import FicheAction
from pilotage.documents import importer
from tests.documents.docx_builder import FicheSpec, build_docx
from tests.factories import ContratFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def content_types_present():
    """Types de contenu présents avant l'aperçu : après un test « transactionnel » qui a
    vidé la base, l'aperçu (import simulé, annulé) créerait le type de la fiche dans une
    transaction annulée, et le cache de ContentType en garderait l'identifiant disparu
    pour la confirmation qui suit dans le même test."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


def test_the_document_is_read_once_from_upload_to_confirmation(client, media_root):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    client.force_login(pilote)
    data = build_docx([FicheSpec(numero=3, titre="Développer l'accueil familial")])
    with mock.patch.object(importer, "parse_document", wraps=importer.parse_document) as parse:
        upload = client.post(
            reverse("documents:import_upload", args=[contrat.pk]),
            {"fichier": SimpleUploadedFile("fiches.docx", data)},
        )
        preview = client.get(upload["Location"])
        assert preview.status_code == 200
        client.post(upload["Location"], {"action": "confirmer"})
    assert parse.call_count == 1
    assert FicheAction.objects.filter(contrat=contrat, numero=3).exists()

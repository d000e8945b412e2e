"""Textes trop longs dans un document importé : la fiche est refusée dès l'analyse, avec
la fiche, la rubrique et le plafond en clair (au lieu d'une erreur 500 à l'aperçu) ;
rien n'est gardé."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.contrats.models import FicheAction
from pilotage.documents.importer import ImportErreur, parse_document
from pilotage.documents.models import DocumentImporte
from tests.factories import ContratFactory, UserFactory, grant

from .docx_builder import FicheSpec, Item, build_docx

# 27 299 caractères (l'espace finale est retirée à la lecture).
LONG_DESCRIPTION = ["Une phrase de la description, répétée. " * 700]


def _parse(spec: FicheSpec):
    return parse_document(build_docx(spec), filename="fiches.docx")


def test_a_description_over_20_000_characters_is_refused_with_the_fiche_and_the_rubrique():
    with pytest.raises(ImportErreur) as error:
        _parse(FicheSpec(numero=3, description=LONG_DESCRIPTION))
    assert str(error.value).startswith(
        "Fiche n°3 : la rubrique « Description de l'action » dépasse 20 000 caractères "
        "(elle en compte 27 299) : raccourcissez-la"
    )


def test_a_title_longer_than_the_fiche_keeps_is_refused():
    with pytest.raises(ImportErreur, match="« Titre de la fiche » dépasse 500 caractères"):
        _parse(FicheSpec(titre="Titre " * 100))


def test_an_overlong_point_de_vigilance_is_refused():
    with pytest.raises(ImportErreur, match="« Points de vigilance \\(un élément\\) » dépasse"):
        _parse(FicheSpec(points_vigilance=[Item("Vigilance " * 120)]))


def test_a_fiche_within_the_limits_is_read():
    assert _parse(FicheSpec(description=["Une description ordinaire."])).fiches


def test_the_upload_page_shows_the_message_and_keeps_nothing(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contrat = ContratFactory()
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    data = build_docx(FicheSpec(numero=3, description=LONG_DESCRIPTION))
    response = client.post(
        f"/contrats/{contrat.pk}/import/", {"fichier": SimpleUploadedFile("fiches.docx", data)}
    )
    assert response.status_code == 400
    assert "Fiche n°3 : la rubrique « Description de l&#x27;action » dépasse" in (
        response.content.decode()
    )
    assert DocumentImporte.objects.count() == 0
    assert FicheAction.objects.count() == 0

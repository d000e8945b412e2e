"""Le dossier de préparation et le compte rendu en PDF n'ont pas de page presque vide.

Avant, chaque fiche du dossier commençait sur une nouvelle page : la dernière ligne d'un
tableau (« Points de vigilance ») ou la dernière décision du rappel restait seule en haut
d'une page (169 à 312 caractères, pied de page compris). Une page A4 pleine de ces
documents porte de 1 200 à 2 800 caractères ; en dessous de 500 (six lignes environ),
une page qui n'est pas la dernière est tenue pour presque vide."""

import pytest
from django.contrib.auth import get_user_model

from pilotage.reunions.documents import (
    compte_rendu_content,
    compte_rendu_pdf,
    dossier_content,
    dossier_pdf,
)
from pilotage.reunions.models import Reunion
from tests.pdf import pdf_pages

#: Caractères de texte au-dessous desquels une page (sauf la dernière) est presque vide.
MIN_CHARS = 500


@pytest.fixture
def viewer(demo_data):
    return get_user_model().objects.get(email="pilote.cd@demo.pilotage.test")


def _short_pages(data: bytes) -> list[tuple[int, str]]:
    pages = pdf_pages(data)
    assert len(pages) >= 2
    return [(n, text) for n, text in enumerate(pages[:-1], 1) if len(text) < MIN_CHARS]


@pytest.mark.parametrize(
    ("document", "build"),
    [("dossier", (dossier_content, dossier_pdf)), ("cr", (compte_rendu_content, compte_rendu_pdf))],
)
def test_demo_documents_have_no_nearly_empty_page(viewer, document, build):
    content, pdf = build
    reunions = Reunion.objects.filter(contrat__departement__code="23").order_by("date")
    assert reunions.count() >= 3
    for reunion in reunions:
        assert _short_pages(pdf(content(reunion, viewer=viewer))) == [], (document, reunion.pk)

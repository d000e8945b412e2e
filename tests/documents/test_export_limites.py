"""Un texte démesuré déjà en base (2 Mo dans une rubrique) : l'export de la fiche reste
borné dans le temps et le document le signale par une note « [texte tronqué…] »."""

import io

import docx
import pytest

from pilotage.contrats.models import FicheAction, Habilitation
from pilotage.core.formats import EXPORT_TEXT_LIMIT, truncate_for_export
from tests.factories import ContratFactory, UserFactory, grant, make_fiche
from tests.pdf import pdf_pages

HUGE = ("Une phrase de la description de l'action, répétée. " * 40 + "\n\n") * 1000


def test_truncate_keeps_a_short_text_and_marks_a_long_one():
    assert truncate_for_export("court") == "court"
    truncated = truncate_for_export("x" * (EXPORT_TEXT_LIMIT + 1))
    assert truncated.startswith("x" * EXPORT_TEXT_LIMIT)
    assert truncated.endswith("le texte complet reste consultable dans l'application]")
    assert "[texte tronqué" in truncated


@pytest.fixture
def huge_fiche(db):
    contrat = ContratFactory()
    make_fiche(contrat, 1)
    assert len(HUGE) > 2_000_000
    FicheAction.objects.filter(contrat=contrat, numero=1).update(description=HUGE)
    user = UserFactory()
    grant(user, contrat, Habilitation.Role.LECTEUR)
    return contrat, user


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_fiche_with_a_2_mb_rubrique_exports_quickly_with_the_truncation_note(
    client, huge_fiche, fmt
):
    contrat, user = huge_fiche
    client.force_login(user)
    response = client.get(f"/contrats/{contrat.pk}/fiches/1/export.{fmt}")
    assert response.status_code == 200
    if fmt == "pdf":
        text = " ".join(pdf_pages(response.content))
    else:
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
    assert "[texte tronqué" in text
    # Pas de chronomètre (machine chargée) : le document est borné, ce que seule la
    # coupure permet (sans elle, plus d'une minute de rendu pour 2 Mo de texte).
    assert len(text) < len(HUGE) // 4

"""Une fiche modifiée dans le navigateur (fins de ligne « \\r\\n », espaces en fin de ligne)
puis exportée se réimporte « sans changement » : le texte enregistré est déjà normalisé."""

import pytest

from pilotage.contrats.models import Contrat
from pilotage.documents.export import fiches_docx, load_fiches
from pilotage.documents.importer import parse_document
from pilotage.documents.services import fiches_import
from tests.contrats.helpers import fiche_post_data


@pytest.fixture
def creuse(demo_data):
    return Contrat.objects.get(departement__code="23")


def test_a_fiche_edited_in_the_browser_reimports_unchanged(creuse, client):
    pilote = creuse.habilitations.filter(role="pilote").first().user
    client.force_login(pilote)
    fiche = creuse.fiches.get(numero=1)
    texte = "Premier paragraphe revu.  \r\n\r\nSecond paragraphe.\t\r\n\r\n"
    data = fiche_post_data(fiche, description=texte)
    response = client.post(f"/contrats/{creuse.pk}/fiches/1/modifier/", data)
    assert response.status_code == 302

    export = fiches_docx(load_fiches(creuse), contrat=creuse)
    outcome = fiches_import(
        contrat=creuse,
        result=parse_document(export, filename="export.docx"),
        user=None,
        filename="export.docx",
        dry_run=True,
    )
    assert outcome.counts == {"creation": 0, "mise_a_jour": 0, "inchangee": 17}, [
        (f.numero, [(c.label, c.old_value, c.new_value) for c in f.changes])
        for f in outcome.fiches
        if f.changes
    ]

"""Export Word : le modèle `word_templates/fiche_action.docx` rempli par docxtpl."""

import io
from pathlib import Path

from docxtpl import DocxTemplate

from pilotage.contrats.models import Contrat

from .content import document_title, fiche_content

TEMPLATE = Path(__file__).resolve().parent.parent / "word_templates" / "fiche_action.docx"


def fiches_docx(fiches, *, contrat: Contrat) -> bytes:
    """Un document Word contenant les fiches, une par page, dans la mise en page officielle."""
    template = DocxTemplate(TEMPLATE)
    template.render(
        {
            "generation": contrat.generation.code,
            "fiches": [fiche_content(f, contrat=contrat) for f in fiches],
        },
        autoescape=True,
    )
    template.core_properties.title = document_title(fiches, contrat=contrat)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()

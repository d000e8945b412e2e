"""Exports Word, OpenDocument et PDF d'une fiche : une ligne retirée (acteur, étape,
indicateur) est écrite suivie de « (retiré le JJ/MM/AAAA) », et le réimport de l'export la
relit comme une ligne retirée — sans créer « CH (retiré le …) » ni rien changer."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from odfdo import Document

from pilotage.contrats.models import Acteur
from pilotage.documents.export import fiches_docx, fiches_odt, fiches_pdf, load_fiches
from pilotage.documents.importer import parse_document
from pilotage.documents.services import fiches_import
from pilotage.suivi.services import valeur_create
from tests.factories import ContratFactory, UserFactory, grant, make_fiche
from tests.pdf import pdf_text

RETIRE = datetime.date(2026, 3, 2)
MENTION = "(retiré le 02/03/2026)"


@pytest.fixture
def fiche(db):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    fiche = make_fiche(contrat, numero=1)
    valeur_create(indicateur=fiche.indicateurs.get(), user=pilote, annee=2025, valeur=Decimal("4"))
    fiche.acteurs.filter(nom="CH").update(retire_le=RETIRE)
    fiche.jalons.update(retire_le=RETIRE)
    fiche.indicateurs.update(retire_le=RETIRE)
    return fiche


def _texts(data: bytes, fmt: str) -> str:
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "odt":
        return Document(io.BytesIO(data)).get_formatted_text()
    return pdf_text(data)


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
def test_every_export_marks_the_withdrawn_lines(fiche, fmt):
    build = {"docx": fiches_docx, "odt": fiches_odt, "pdf": fiches_pdf}[fmt]
    text = " ".join(
        _texts(build(load_fiches(fiche.contrat, [1]), contrat=fiche.contrat), fmt).split()
    )
    assert f"CH {MENTION}" in text
    assert f"Signature de la convention {MENTION}" in text
    assert f"Nombre d'EPP réalisés {MENTION}" in text
    assert f"ARS {MENTION}" not in text


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_reimporting_the_export_keeps_the_lines_withdrawn_and_changes_nothing(fiche, fmt):
    build = fiches_docx if fmt == "docx" else fiches_odt
    data = build(load_fiches(fiche.contrat, [1]), contrat=fiche.contrat)
    result = parse_document(data, filename=f"export.{fmt}")
    [parsed] = result.fiches
    assert parsed.acteurs == ["CH", "ARS"]
    assert parsed.retraits["acteurs:CH"] == RETIRE
    outcome = fiches_import(
        contrat=fiche.contrat, result=result, user=None, filename=f"export.{fmt}"
    )
    # les rubriques de la fiche fabriquée que le modèle officiel réécrit (en-tête, moyens)
    # mises à part, aucune liste ne change : ni ligne ajoutée, ni retrait levé
    [lu] = outcome.fiches
    assert not {c.label for c in lu.changes} & {
        "Acteurs à mobiliser",
        "Calendrier prévisionnel",
        "Indicateurs",
    }, [c.label for c in lu.changes]
    assert lu.absents == []
    assert list(Acteur.objects.filter(fiche=fiche).values_list("nom", "retire_le")) == [
        ("CH", RETIRE),
        ("ARS", None),
    ]
    assert fiche.indicateurs.get().retire_le == RETIRE


def test_a_document_that_says_a_line_is_withdrawn_withdraws_it(fiche):
    fiche.acteurs.update(retire_le=None)
    fiche.jalons.update(retire_le=None)
    fiche.indicateurs.update(retire_le=None)
    data = fiches_docx(load_fiches(fiche.contrat, [1]), contrat=fiche.contrat)
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            for paragraph in row.cells[1].paragraphs:
                if paragraph.text == "ARS":
                    paragraph.runs[0].text = f"ARS {MENTION}"
    out = io.BytesIO()
    document.save(out)
    fiches_import(
        contrat=fiche.contrat,
        result=parse_document(out.getvalue(), filename="revu.docx"),
        user=None,
        filename="revu.docx",
    )
    assert dict(Acteur.objects.filter(fiche=fiche).values_list("nom", "retire_le")) == {
        "CH": None,
        "ARS": RETIRE,
    }

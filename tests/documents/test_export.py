"""Exports Word, OpenDocument et PDF : contenu, aller-retour par l'import, droits, requêtes."""

import io

import docx
import pytest
from odfdo import Document

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.documents.export import fiches_docx, fiches_odt, fiches_pdf, load_fiches
from pilotage.documents.export.content import fiche_content
from pilotage.documents.importer import parse_document
from pilotage.documents.services import fiches_import
from tests.pdf import pdf_objects

LABELS = [
    "Département concerné",
    "Référent (personne ou institution)",
    "Constat du diagnostic",
    "Objectif opérationnel",
    "Description de l'action",
    "Identification des acteurs à mobiliser",
    "Moyens financiers prévisionnels",
    "Calendrier prévisionnel",
    "Indicateurs quantitatifs de mise en œuvre de l'action",
    "Indicateurs qualitatifs de mise en œuvre de l'action",
    "Points de vigilance",
]


@pytest.fixture
def creuse(demo_data):
    return Contrat.objects.get(departement__code="23")


def test_docx_follows_the_official_layout_with_real_bullets(creuse):
    data = fiches_docx(load_fiches(creuse, [1]), contrat=creuse)
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "Contractualisation en prévention et en protection de l'enfance 2025-2027" in texts
    assert "OBJECTIF N°1 (obligatoire)" in texts
    assert "FICHE ACTION N°1" in texts
    [table] = document.tables
    assert [row.cells[0].text for row in table.rows] == LABELS
    moyens = table.rows[6].cells[1].text
    assert "Financement État : 14 574 €" in moyens
    assert "Financement CD : 14 574 € (valorisation)" in moyens
    bullets = [p for p in table.rows[4].cells[1].paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 3


def test_odt_contains_the_fiche_and_the_labels(creuse):
    data = fiches_odt(load_fiches(creuse, [2]), contrat=creuse)
    text = Document(io.BytesIO(data)).get_formatted_text()
    assert "Généraliser le bilan de santé en écoles maternelles par la PMI" in text
    for label in LABELS:
        assert label in text


def test_pdf_is_tagged_with_language_and_title(creuse):
    data = fiches_pdf(load_fiches(creuse, [1]), contrat=creuse)
    assert data.startswith(b"%PDF")
    objects = pdf_objects(data)
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo" in objects
    assert b"/Lang (fr)" in objects
    assert b"/Title" in objects
    assert b"/TH" in objects  # en-têtes de rangée balisés


def _pdf_titles(data: bytes) -> list[str]:
    """Les /Title du PDF : celui du document (Info) et ceux des signets."""
    import re

    titles = []
    for hexa, literal in re.findall(
        rb"/Title\s*(?:<feff([0-9a-fA-F]+)>|\(((?:[^)\\]|\\.)*)\))", pdf_objects(data)
    ):
        titles.append(
            bytes.fromhex(hexa.decode()).decode("utf-16-be") if hexa else literal.decode("latin-1")
        )
    return titles


def test_a_single_fiche_document_has_its_own_title(creuse):
    title = (
        "Fiche action n°1 – Augmenter la réalisation des entretiens précoces prénataux faits "
        "par la PMI pour un meilleur dépistage et suivi des femmes enceintes – "
    )
    one = load_fiches(creuse, [1])
    assert any(t.startswith(title) for t in _pdf_titles(fiches_pdf(one, contrat=creuse)))
    assert docx.Document(
        io.BytesIO(fiches_docx(one, contrat=creuse))
    ).core_properties.title.startswith(title)
    assert Document(io.BytesIO(fiches_odt(one, contrat=creuse))).meta.title.startswith(title)
    several = _pdf_titles(fiches_pdf(load_fiches(creuse, [1, 2]), contrat=creuse))
    assert any(t.startswith("Fiches actions – ") for t in several)
    assert not any(t.startswith("Fiche action n°") for t in several)


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_export_then_import_gives_back_the_same_data_for_every_demo_fiche(creuse, fmt):
    fiches = load_fiches(creuse)
    build = fiches_docx if fmt == "docx" else fiches_odt
    result = parse_document(build(fiches, contrat=creuse), filename=f"export.{fmt}")
    assert [f.numero for f in result.fiches] == list(range(1, 18))
    for fiche, parsed in zip(fiches, result.fiches, strict=True):
        content = fiche_content(fiche, contrat=creuse)
        rows = {row.label: [b.text for b in row.blocks] for row in content.rows}
        assert parsed.objectifs == sorted(o.numero for o in fiche.objectifs.all())
        assert parsed.titre == fiche.titre
        assert parsed.referent == fiche.referent
        assert parsed.constat == fiche.constat
        assert parsed.objectif_operationnel == fiche.objectif_operationnel
        assert parsed.description == fiche.description
        assert parsed.acteurs == rows["Identification des acteurs à mobiliser"]
        assert [
            (f["financeur"], f["montant"], f["valorisation"], f["note"])
            for f in parsed.financements
        ] == [(f.financeur, f.montant, f.valorisation, f.note) for f in fiche.financements.all()]
        assert parsed.calendrier == [j.libelle for j in fiche.jalons.all()]
        assert (
            parsed.indicateurs_quantitatifs + parsed.indicateurs_qualitatifs
            == rows["Indicateurs quantitatifs de mise en œuvre de l'action"]
            + rows["Indicateurs qualitatifs de mise en œuvre de l'action"]
        )
        assert parsed.points_vigilance == [p.libelle for p in fiche.points_vigilance.all()]


def test_reimporting_an_export_over_the_contract_changes_nothing(creuse):
    data = fiches_docx(load_fiches(creuse), contrat=creuse)
    outcome = fiches_import(
        contrat=creuse,
        result=parse_document(data, filename="export.docx"),
        user=None,
        filename="export.docx",
        dry_run=True,
    )
    assert outcome.counts == {"creation": 0, "mise_a_jour": 0, "inchangee": 17}, [
        (f.numero, [c.label for c in f.changes]) for f in outcome.fiches if f.changes
    ]


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("pdf", "application/pdf"),
    ],
)
def test_a_reader_downloads_a_fiche_and_the_whole_contract(creuse, client, fmt, content_type):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(f"/contrats/{creuse.pk}/fiches/1/export.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(
        'attachment; filename="fiche-01_objectif-1_augmenter'
    )
    response = client.get(f"/contrats/{creuse.pk}/fiches/export.{fmt}")
    assert response["Content-Disposition"] == (
        f'attachment; filename="fiches-actions-23-2025-2027.{fmt}"'
    )


def test_a_user_of_another_departement_gets_404_on_exports(creuse, client):
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{creuse.pk}/fiches/1/export.docx").status_code == 404
    assert client.get(f"/contrats/{creuse.pk}/fiches/export.pdf").status_code == 404


def test_unknown_format_is_a_404(creuse, client):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{creuse.pk}/fiches/export.exe").status_code == 404


def test_contract_export_queries_do_not_grow_with_the_number_of_fiches(
    creuse, client, django_assert_max_num_queries
):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    # La première page après la connexion vérifie, une fois par session, si un second
    # facteur est dû (comptes.middleware) : hors du compte.
    client.get("/")
    with django_assert_max_num_queries(14):
        client.get(f"/contrats/{creuse.pk}/fiches/export.docx")
    with django_assert_max_num_queries(14):
        client.get(f"/contrats/{creuse.pk}/fiches/1/export.docx")

"""Import : rubrique « Moyens financiers » lue par sa forme (issue 14, points 1 et 2) —
lignes « financeur : montant », listes, tableaux imbriqués par rangée ou par colonne avec
en-tête et total, et tout texte non reconnu signalé."""

import io
from decimal import Decimal

import pytest
from docx import Document

from pilotage.documents.importer import parse_document
from pilotage.documents.importer.blocks import Paragraph, Table, flatten_table
from pilotage.documents.importer.moyens import read_moyens


def _p(*texts: str, item: bool = False) -> list[Paragraph]:
    return [Paragraph(text, item) for text in texts]


def _table(*rows: tuple[str, ...]) -> list[Paragraph]:
    """Paragraphes d'un tableau imbriqué, tels que les lecteurs Word et ODT les donnent."""
    return flatten_table(Table([[_p(text) if text else [] for text in row] for row in rows]))


def _lines(moyens) -> list[tuple]:
    return [(r["financeur"], r["libelle"], r["montant"], r["valorisation"]) for r in moyens]


def test_a_bulleted_list_of_funders_gives_one_line_each():
    moyens = read_moyens(_p("État : 14 574 €", "CD : 8 000 € (valorisation)", item=True))
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("14574"), False),
        ("cd", "", Decimal("8000"), True),
    ]
    assert moyens.warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "Etat : 12 000 € ; CD : 8 000 € (valorisation)",
        "Etat : 12 000 €, CD : 8 000 € (valorisation)",
    ],
)
def test_several_funders_in_one_paragraph_give_one_line_each(text):
    moyens = read_moyens(_p(text))
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("12000"), False),
        ("cd", "", Decimal("8000"), True),
    ]


def test_a_comma_inside_a_funding_line_does_not_split_it():
    moyens = read_moyens(_p("Etat : 40 vacations à 200 €, soit 8 000 €"))
    assert _lines(moyens.financements) == [("etat", "", Decimal("8000"), False)]


def test_a_funding_line_continued_on_the_next_paragraph_is_one_line():
    moyens = read_moyens(_p("Financement Etat :", "14 574 €", "Financement CD : 3 000 €"))
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("14574"), False),
        ("cd", "", Decimal("3000"), False),
    ]


def test_a_sub_table_with_a_row_per_funder_skips_its_header_and_total():
    paragraphs = _table(
        ("Financeur", "Montant"),
        ("Etat", "12 500 €"),
        ("Conseil départemental", "20 000 € dont 5 000 € de valorisation"),
        ("Total", "32 500 €"),
    )
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("12500"), False),
        ("cd", "", Decimal("20000"), True),
    ]
    assert moyens.financements[1]["note"] == "dont 5 000 € de valorisation"
    assert moyens.warnings == []


def test_a_sub_table_with_a_column_per_funder_is_read_by_column():
    paragraphs = _table(("CAF", "CD", "Total"), ("45 k€", "8 k€ (valorisation)", "53 k€"))
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [
        ("caf", "", Decimal("45000"), False),
        ("cd", "", Decimal("8000"), True),
    ]
    assert moyens.warnings == []


def test_a_column_table_with_a_row_label_and_a_unit_in_the_header():
    paragraphs = _table(("", "Etat", "Région Limousin", "Total"), ("Montant (k€)", "12", "3", "15"))
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("12000"), False),
        ("autre", "Région Limousin", Decimal("3000"), False),
    ]
    assert moyens.warnings == []


def test_a_valorisation_column_becomes_the_valorised_part():
    paragraphs = _table(
        ("Financeur", "Montant", "Dont valorisation"),
        ("CD", "20 000 €", "5 000 €"),
        ("Etat", "10 000 €", "–"),
    )
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [
        ("cd", "", Decimal("20000"), True),
        ("etat", "", Decimal("10000"), False),
    ]
    assert moyens.financements[0]["note"] == "dont 5 000 € de valorisation"


def test_year_columns_give_one_line_per_year_and_skip_the_total_column():
    paragraphs = _table(
        ("Financeur", "2025", "2026", "Total"),
        ("Etat", "10 000 €", "12 000 €", "22 000 €"),
        ("CD", "5 000 €", "", "5 000 €"),
        ("Total", "15 000 €", "12 000 €", "27 000 €"),
    )
    moyens = read_moyens(paragraphs)
    rows = [(r["financeur"], r["montant"], r["annee"]) for r in moyens.financements]
    assert rows == [
        ("etat", Decimal("10000"), 2025),
        ("etat", Decimal("12000"), 2026),
        ("cd", Decimal("5000"), 2025),
    ]
    assert moyens.warnings == []


def test_a_column_per_funder_with_a_row_per_year():
    paragraphs = _table(
        ("Année", "Etat", "CAF"), ("2025", "1 000 €", "2 000 €"), ("2026", "1 500 €", "")
    )
    moyens = read_moyens(paragraphs)
    rows = [(r["financeur"], r["montant"], r["annee"]) for r in moyens.financements]
    assert rows == [
        ("etat", Decimal("1000"), 2025),
        ("etat", Decimal("1500"), 2026),
        ("caf", Decimal("2000"), 2025),
    ]


def test_a_title_row_above_the_header_gives_the_unit():
    paragraphs = _table(("Plan de financement (en k€)", ""), ("Etat", "CD"), ("12", "3"))
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [
        ("etat", "", Decimal("12000"), False),
        ("cd", "", Decimal("3000"), False),
    ]
    assert moyens.warnings == []


def test_a_total_line_naming_funders_is_not_dropped():
    text = "Coût total : 30 000 € dont Etat 15 000 € et CD 15 000 €"
    moyens = read_moyens(_p(text))
    assert moyens.financements == []
    assert moyens.warnings == [
        "Moyens financiers : texte non reconnu comme ligne de financement, à reprendre à "
        f"la main : « {text} »."
    ]


def test_a_total_line_out_of_a_table_is_checked():
    moyens = read_moyens(_p("Etat : 10 000 €", "CD : 5 000 €", "Total : 16 000 €"))
    assert len(moyens.financements) == 2
    assert moyens.warnings == [
        "Moyens financiers : le total écrit (16 000 €) n'est pas la somme des lignes lues "
        "(15 000 €) : à vérifier."
    ]


def test_a_row_naming_no_funder_is_signalled_not_dropped():
    paragraphs = _table(("Etat", "12 500 €"), ("Prestataire inconnu", "4 000 €"))
    moyens = read_moyens(paragraphs)
    assert _lines(moyens.financements) == [("etat", "", Decimal("12500"), False)]
    assert moyens.warnings == [
        "Moyens financiers : rangée du tableau non reconnue comme ligne de financement, "
        "à reprendre à la main : « Prestataire inconnu | 4 000 € »."
    ]


def test_a_total_that_is_not_the_sum_is_signalled():
    paragraphs = _table(("Etat", "12 500 €"), ("CD", "8 000 €"), ("Total", "25 000 €"))
    moyens = read_moyens(paragraphs)
    assert len(moyens.financements) == 2
    assert moyens.warnings == [
        "Moyens financiers : le total écrit (25 000 €) n'est pas la somme des lignes lues "
        "(20 500 €) : à vérifier."
    ]


def test_free_text_without_funder_is_signalled_and_a_total_line_is_not():
    moyens = read_moyens(
        _p("Recrutement d'un éducateur : 30 000 €", "Etat : 30 000 €", "Total : 30 000 €")
    )
    assert _lines(moyens.financements) == [("etat", "", Decimal("30000"), False)]
    assert moyens.warnings == [
        "Moyens financiers : texte non reconnu comme ligne de financement, à reprendre à "
        "la main : « Recrutement d'un éducateur : 30 000 € »."
    ]


def test_two_nested_tables_in_one_cell_are_read_apart():
    paragraphs = _table(("Etat", "CD"), ("1 000 €", "2 000 €")) + _table(("CAF", "500 €"))
    moyens = read_moyens(paragraphs)
    assert [r["financeur"] for r in moyens.financements] == ["etat", "cd", "caf"]


def test_hostile_nested_table_is_read_in_one_pass():
    """Une grande grille de cellules numériques se lit sans retour arrière, et le texte
    signalé reste court."""
    rows = [("Etat", "12 € " + "1 " * 2000)] + [("1 " * 2000, "1." * 2000)] * 200
    moyens = read_moyens(_table(*rows))
    assert [r["montant"] for r in moyens.financements] == [Decimal("12")]
    assert len(moyens.warnings) == 200
    assert max(len(w) for w in moyens.warnings) < 500


@pytest.mark.parametrize("orientation", ["rangees", "colonnes"])
def test_a_word_document_with_a_funding_sub_table(orientation):
    """De bout en bout : un tableau imbriqué dans la cellule d'une fiche Word."""
    document = Document()
    document.add_paragraph("OBJECTIF N°2")
    document.add_paragraph("FICHE ACTION N°1 : Une action (fictif)")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Constat du diagnostic"
    table.cell(0, 1).text = "Un constat."
    table.cell(1, 0).text = "Moyens financiers prévisionnels"
    rows = [("Financeur", "Montant (k€)"), ("Etat", "12,5"), ("CAF", "4"), ("Total", "16,5")]
    if orientation == "colonnes":
        rows = [tuple(column) for column in zip(*rows, strict=True)]
    nested = table.cell(1, 1).add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            nested.cell(i, j).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_document(buffer.getvalue(), filename="fiche.docx")
    fiche = result.fiches[0]
    assert [(r["financeur"], r["montant"]) for r in fiche.financements] == [
        ("etat", Decimal("12500")),
        ("caf", Decimal("4000")),
    ]
    assert [w.message for w in result.warnings if "Moyens" in w.message] == []
    # le texte signé garde une rangée par financeur, quelle que soit l'orientation
    assert (
        fiche.moyens_texte == "Financeur : Montant (k€)\n\nEtat : 12,5\n\nCAF : 4\n\nTotal : 16,5"
    )


def _docx(build) -> bytes:
    document = Document()
    document.add_paragraph("OBJECTIF N°2")
    document.add_paragraph("FICHE ACTION N°1 : Une action (fictif)")
    document.add_paragraph("Constat du diagnostic : Un constat.")
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text


def test_a_funding_table_under_a_heading_is_the_funding_of_the_fiche():
    def build(document):
        document.add_heading("Moyens financiers prévisionnels", level=3)
        _add_table(
            document, [("Financeur", "Montant"), ("Etat", "12 500 €"), ("Total", "12 500 €")]
        )
        document.add_paragraph("CD : 3 000 € (valorisation)")
        document.add_heading("Points de vigilance", level=3)
        document.add_paragraph("Un point")

    result = parse_document(_docx(build), filename="fiche.docx")
    fiche = result.fiches[0]
    assert [(r["financeur"], r["montant"], r["valorisation"]) for r in fiche.financements] == [
        ("etat", Decimal("12500"), False),
        ("cd", Decimal("3000"), True),
    ]
    assert fiche.points_vigilance == ["Un point"]
    assert result.warnings == []


def test_a_table_under_another_heading_is_not_taken_for_its_content():
    def build(document):
        document.add_heading("Points de vigilance", level=3)
        _add_table(document, [("Contexte inconnu", "texte")])

    result = parse_document(_docx(build), filename="fiche.docx")
    assert result.fiches[0].points_vigilance == []
    assert [w.message for w in result.warnings] == [
        "Rubrique non reconnue, ignorée : « Contexte inconnu »."
    ]


def test_a_fiche_table_after_the_funding_heading_stays_a_fiche_table():
    def build(document):
        document.add_heading("Moyens financiers prévisionnels", level=3)
        document.add_paragraph("Etat : 1 000 €")
        _add_table(
            document,
            [("Calendrier prévisionnel", "Recrutement de la sage-femme puis bilan annuel")],
        )

    fiche = parse_document(_docx(build), filename="fiche.docx").fiches[0]
    assert [r["financeur"] for r in fiche.financements] == ["etat"]
    assert fiche.calendrier == ["Recrutement de la sage-femme puis bilan annuel"]

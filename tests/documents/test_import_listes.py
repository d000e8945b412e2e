"""Import : rubriques de liste (acteurs, calendrier, indicateurs, points de vigilance) —
mentions de liste vide, numéros tapés, listes écrites en une phrase (issue 14)."""

import pytest

from pilotage.documents.importer import fields
from pilotage.documents.importer.blocks import Paragraph
from pilotage.documents.importer.labels import SYNONYMS, match_label


def _p(*texts: str, item: bool = False) -> list[Paragraph]:
    return [Paragraph(text, item) for text in texts]


@pytest.mark.parametrize(
    "mention", ["néant", "Néant.", "–", "-", "NC", "N.C.", "à définir", "À compléter", "/", "…"]
)
def test_a_placeholder_is_not_an_item(mention):
    assert fields.items(_p(mention)) == []
    assert fields.calendrier_items(_p(mention)) == []
    assert fields.split_acteurs(_p(mention)) == []


def test_a_word_containing_a_placeholder_is_kept():
    assert fields.items(_p("Néant de financement croisé", "NC-Lab")) == [
        "Néant de financement croisé",
        "NC-Lab",
    ]


@pytest.mark.parametrize(
    "marks", [("1)", "2)"), ("1.", "2."), ("a)", "b)"), ("a.", "b."), ("(1)", "(2)")]
)
def test_typed_numbering_is_removed_from_items(marks):
    paragraphs = _p(f"{marks[0]} Recrutement au premier semestre 2025", f"{marks[1]} Bilan")
    assert fields.calendrier_items(paragraphs) == ["Recrutement au premier semestre 2025", "Bilan"]
    assert fields.items(paragraphs) == ["Recrutement au premier semestre 2025", "Bilan"]


def test_a_number_that_is_not_numbering_stays():
    assert fields.items(_p("1.2 M€ engagés", "12 familles")) == ["1.2 M€ engagés", "12 familles"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Achat du véhicule, Première tournée et Évaluation à un an.",
            ["Achat du véhicule", "Première tournée", "Évaluation à un an"],
        ),
        (
            "CAF ; Communes rurales (fictif) ; Association (a, b et c).",
            ["CAF", "Communes rurales (fictif)", "Association (a, b et c)"],
        ),
        ("Assistants familiaux et France Travail.", ["Assistants familiaux", "France Travail"]),
    ],
)
def test_a_list_written_as_a_sentence_is_split(text, expected):
    assert fields.items(_p(text)) == expected
    assert fields.calendrier_items(_p(text)) == expected
    assert fields.split_acteurs(_p(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Maintenir la participation, motiver le groupe (turnover des jeunes)",
        "Nb de contrôles effectués en 2025 et années suivantes",
        "Travailleurs sociaux cellule IP et Travailleurs sociaux du pôle enfance. Appui des "
        "Assistants sociaux des UTAS.",
    ],
)
def test_an_ordinary_sentence_is_not_split(text):
    assert fields.items(_p(text)) == [text]


def test_a_sentence_among_other_paragraphs_is_not_split():
    paragraphs = _p("Territoire rural ; distance importante", "Natalité en baisse")
    assert fields.items(paragraphs) == [
        "Territoire rural ; distance importante",
        "Natalité en baisse",
    ]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Points d'attention", "points_vigilance"),
        ("Échéancier :", "calendrier"),
        ("Critères qualitatifs", "indicateurs_qualitatifs"),
        ("Indicateurs chiffrés", "indicateurs_quantitatifs"),
        ("Actions prévues", "description"),
    ],
)
def test_synonyms_are_recognised_even_as_a_paragraph(label, key):
    assert match_label(label, strict=True) == key


def test_every_synonym_says_where_it_comes_from():
    assert all(source for _key, _label, source in SYNONYMS)
    assert len({label for _key, label, _source in SYNONYMS}) == len(SYNONYMS)


def test_a_funding_line_is_not_the_short_label_financement():
    assert match_label("Financement CD", strict=True) is None

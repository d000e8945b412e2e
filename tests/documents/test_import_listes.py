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


def _parse(doc):
    from pilotage.documents.importer import parse_document

    from .corpus.ecrire import write_docx, write_odt

    return [
        parse_document(write_docx(doc), filename="f.docx"),
        parse_document(write_odt(doc), filename="f.odt"),
    ]


def _fiche_table(*header_rows):
    from .corpus.ecrire import Cell, P, T

    def row(label, value):
        return [Cell([P(label)]), Cell([P(value)])]

    return T([row(*r) for r in header_rows] + [row("Constat du diagnostic", "Un constat.")])


def test_header_written_as_label_value_rows():
    from .corpus.ecrire import Doc

    table = _fiche_table(
        ("Fiche action n°", "3"), ("Objectif(s)", "5, 7"), ("Intitulé de l'action", "Un titre")
    )
    for result in _parse(Doc(body=[table])):
        [fiche] = result.fiches
        assert (fiche.numero, fiche.objectifs, fiche.titre) == (3, [5, 7], "Un titre")


def test_table_of_contents_and_cover_text_are_reported_not_read_as_fiches():
    from .corpus.ecrire import Doc, P

    body = [
        P("Contrat départemental (fictif)", "h1"),
        P("Sommaire", "h2"),
        P("Fiche action n°3 : Un titre ....... p. 2"),
        P("OBJECTIF N°5"),
        P("FICHE ACTION N°3"),
        P("Un titre"),
        _fiche_table(),
        P("Page 1 sur 8"),
        P("Note volante (fictif)"),
    ]
    for result in _parse(Doc(body=body)):
        assert [f.numero for f in result.fiches] == [3]
        messages = [(w.fiche_numero, w.message) for w in result.warnings]
        assert messages == [
            (None, "Texte avant la première fiche, ignoré : « Contrat départemental (fictif) »."),
            (None, "Sommaire ignoré (2 lignes, avant la première fiche)."),
            (
                3,
                "Texte hors rubrique (hors du tableau de la fiche), ignoré : « Note volante (fictif) ».",
            ),
        ]

"""Import : en-têtes des fiches et libellés des rubriques, tels qu'ils sont rédigés."""

import io

import docx
import pytest

from pilotage.documents.importer import ImportResult, ImportWarning, parse_document
from pilotage.documents.importer.labels import fiche_header, match_label, objectif_numbers

from .docx_builder import FicheSpec, Layout, build_docx


def parse(fiches, layout=None, **kwargs) -> ImportResult:
    return parse_document(build_docx(fiches, layout), filename="fiches.docx", **kwargs)


def only(result: ImportResult):
    assert len(result.fiches) == 1, result
    return result.fiches[0]


def messages(result: ImportResult) -> list[str]:
    return [w.message for w in result.warnings]


# -- en-têtes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "numbers"),
    [
        ("OBJECTIF N°7 (obligatoire)", [7]),
        ("OBJECTIFS N°1 et 2 (obligatoires)", [1, 2]),
        ("OBJECTIFS N° 13 et 14 (obligatoire – 1 des 3 objectifs ONDAM)", [13, 14]),
        ("OBJECTIF N°10", [10]),
        ("Objectif n° 3", [3]),
        ("OBJECTIF N° …", []),
        ("Objectif opérationnel", None),
        ("Objectifs de la fiche", None),
    ],
)
def test_objectif_line(line, numbers):
    assert objectif_numbers(line) == numbers


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("FICHE ACTION N°5", (5, "")),
        ("FICHE ACTION n°4", (4, "")),
        ("FICHE ACTION °10", (10, "")),
        ("FICHE ACTION N° 8", (8, "")),
        (
            "FICHE ACTION N°3 : Sensibilisation aux psycho traumas",
            (3, "Sensibilisation aux psycho traumas"),
        ),
        ("Fiche-action n°12 – Titre", (12, "Titre")),
        ("FICHE ACTION N° …", (None, "")),
        ("Fiches actions 2025-2027 du département", None),
        ("Le fichier des actions", None),
    ],
)
def test_fiche_line(line, expected):
    assert fiche_header(line) == expected


@pytest.mark.parametrize("header", ["paragraphs", "table"])
@pytest.mark.parametrize("merge", [False, True])
def test_header_in_paragraphs_or_table_rows(header, merge):
    fiche = only(
        parse(
            FicheSpec(numero=5, objectif_line="OBJECTIFS N°1 et 2 (obligatoires)"),
            Layout(header=header, merge_header_cells=merge),
        )
    )
    assert fiche.numero == 5
    assert fiche.objectifs == [1, 2]
    assert fiche.entete_objectifs == "OBJECTIFS N°1 et 2 (obligatoires)"
    assert fiche.titre == "Titre de test"
    assert fiche.departement == "Conseil départemental de la Creuse"
    assert fiche.referent == "Pôle cohésion sociale"


def test_title_on_the_fiche_line():
    fiche = only(parse(FicheSpec(fiche_line="FICHE ACTION N°9 : Un titre", titre="")))
    assert (fiche.numero, fiche.titre) == (9, "Un titre")


@pytest.mark.parametrize(
    ("departement_line", "referent_line", "departement", "referent"),
    [
        (
            "Département concerné : Creuse",
            "Référent (personne ou institution) : Pôle",
            "Creuse",
            "Pôle",
        ),
        (
            "Département concerné Creuse",
            "Référent (personne ou institution) Pôle",
            "Creuse",
            "Pôle",
        ),
        ("Département concerné", "Référent (personne ou institution)", "", ""),
        (
            "DEPARTEMENT CONCERNE : Creuse",
            "Réfèrent (personne ou institution) : Pôle",
            "Creuse",
            "Pôle",
        ),
        (
            "Département concerné : Creuse",
            "Référént (personne ou institution) Pôle",
            "Creuse",
            "Pôle",
        ),
    ],
)
def test_departement_and_referent_lines(departement_line, referent_line, departement, referent):
    spec = FicheSpec(departement_line=departement_line, referent_line=referent_line)
    fiche = only(parse(spec))
    assert (fiche.departement, fiche.referent) == (departement, referent)


def test_departement_value_in_next_cell():
    """En-tête dans le tableau : « Département concerné » | « Creuse »."""
    spec = FicheSpec(
        departement_line="Département concerné",
        referent_line="Référent (personne ou institution)",
        extra_rows=[],
    )
    data = build_docx(spec, Layout(header="table"))
    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    table.rows[3].cells[1].text = "Conseil départemental de la Creuse"
    table.rows[4].cells[1].text = "Pôle enfance"
    buffer = io.BytesIO()
    document.save(buffer)
    fiche = only(parse_document(buffer.getvalue(), filename="f.docx"))
    assert fiche.departement == "Conseil départemental de la Creuse"
    assert fiche.referent == "Pôle enfance"
    assert fiche.titre == "Titre de test"


def test_missing_header_fields_are_warned():
    result = parse(
        FicheSpec(numero=None, fiche_line="FICHE ACTION N° …", objectif_line="OBJECTIF N° …")
    )
    fiche = only(result)
    assert fiche.numero is None and fiche.objectifs == []
    text = " ".join(messages(result))
    assert "sans numéro" in text
    assert "Numéro d'objectif absent" in text


def test_missing_title_is_warned():
    result = parse(FicheSpec(titre="Département concerné : Creuse"))
    assert "Titre de la fiche absent." in messages(result)


def test_unknown_objectif_is_warned():
    result = parse(FicheSpec(objectif_line="OBJECTIF N°42"), known_objectifs={1, 2, 7})
    assert ImportWarning("Objectif n°42 absent du référentiel.", 1) in result.warnings
    assert parse(FicheSpec(), known_objectifs={7}).warnings == []


# -- libellés des rubriques -------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Constat du diagnostic", "constat"),
        ("CONSTAT DU DIAGNOSTIC :", "constat"),
        ("Objectif  opérationnel", "objectif_operationnel"),
        ("Objectifs opérationels", "objectif_operationnel"),
        ("Description de l’action", "description"),
        ("Descripton de l'action", "description"),
        ("Identification des acteurs à mobiliser", "acteurs"),
        ("Identifcation des acteurs a mobiliser", "acteurs"),
        ("Moyens financiers prévisionnels", "moyens"),
        ("Moyens  financiers previsionnels", "moyens"),
        ("Calendrier prévisionnel", "calendrier"),
        ("Calendrier previsonnel", "calendrier"),
        ("Indicateurs quantitatifs et qualitatifs de mise en œuvre de l'action", "indicateurs"),
        ("Indicateurs quantitatifs de mise en œuvre de l’action", "indicateurs_quantitatifs"),
        ("Indicateurs qualitatifs de mise en oeuvre de l'action*", "indicateurs_qualitatifs"),
        ("Indicateur quantitatif", "indicateurs_quantitatifs"),
        ("Points de vigilance", "points_vigilance"),
        ("Point de vigilence", "points_vigilance"),
        ("Réfèrent (personne ou institution)", "referent"),
        ("Titre de la fiche", "titre"),
        ("Observations diverses", None),
    ],
)
def test_label_matching(label, key):
    assert match_label(label) == key


def test_label_typos_in_document():
    layout = Layout(
        labels={
            "objectif_operationnel": "Objectif  opérationnel",
            "description": "DESCRIPTION DE L'ACTION",
            "acteurs": "Identifcation des acteurs à mobiliser",
            "points_vigilance": "Point de vigilence",
        }
    )
    fiche = only(parse(FicheSpec(), layout))
    assert fiche.objectif_operationnel == "Un objectif."
    assert fiche.description == "- Action A\n- Action B"
    assert fiche.acteurs == ["CH", "ARS", "CPAM"]
    assert fiche.points_vigilance == ["Baisse de la natalité"]


def test_unknown_row_is_warned_and_ignored():
    result = parse(FicheSpec(extra_rows=[("Observations diverses", ["Texte libre"])]))
    assert ImportWarning("Rubrique non reconnue, ignorée : « Observations diverses ».", 1) in (
        result.warnings
    )
    assert "Texte libre" not in str(result.fiches[0].to_json())

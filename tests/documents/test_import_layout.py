"""Import : variantes de mise en page (listes, fusions, tableaux imbriqués ou coupés,
plusieurs fiches) et lecture des indicateurs."""

import io

import docx
import pytest

from pilotage.documents.importer import ImportResult, ImportWarning, parse_document
from pilotage.documents.importer.blocks import Paragraph, Table, make_paragraphs
from pilotage.documents.importer.reader_docx import read_docx

from .docx_builder import FicheSpec, Item, Layout, build_docx


def parse(fiches, layout=None, **kwargs) -> ImportResult:
    return parse_document(build_docx(fiches, layout), filename="fiches.docx", **kwargs)


def only(result: ImportResult):
    assert len(result.fiches) == 1, result
    return result.fiches[0]


def messages(result: ImportResult) -> list[str]:
    return [w.message for w in result.warnings]


# -- indicateurs --------------------------------------------------------------------------


def test_combined_indicators_are_split():
    spec = FicheSpec(
        indicateurs_quantitatifs=[
            "Nombre de VAD",
            "Taux de couverture",
            "Part des AED",
            "Pourcentage de femmes suivies",
            "Indicateur national : Nombre d'ETP dédiés en CRIP",
            "911 enfants de -6 ans ont eu une consultation en 2024",
        ],
        indicateurs_qualitatifs=[
            "Ressenti des familles",
            "Indicateur national : Outils développés",
        ],
    )
    fiche = only(parse(spec, Layout(indicators="combined")))
    assert fiche.indicateurs_quantitatifs == spec.indicateurs_quantitatifs
    assert fiche.indicateurs_qualitatifs == spec.indicateurs_qualitatifs


def test_separate_indicator_rows_are_kept_as_written():
    spec = FicheSpec(
        indicateurs_quantitatifs=["Actualiser ASE"], indicateurs_qualitatifs=["Nombre de retours"]
    )
    fiche = only(parse(spec, Layout(indicators="separate")))
    assert fiche.indicateurs_quantitatifs == ["Actualiser ASE"]
    assert fiche.indicateurs_qualitatifs == ["Nombre de retours"]


@pytest.mark.parametrize(
    "written",
    [
        "Indicateur national : Part des AED",
        "Indicateur national: Part des AED",
        "INDICATEUR NATIONAL - Part des AED",
        "Indicateurs nationaux : Part des AED",
    ],
)
def test_national_prefix_is_normalised(written):
    fiche = only(parse(FicheSpec(indicateurs_quantitatifs=[written], indicateurs_qualitatifs=[])))
    assert fiche.indicateurs_quantitatifs == ["Indicateur national : Part des AED"]


def test_indicator_lead_in_prefixes_its_items():
    spec = FicheSpec(
        extra_rows=[
            (
                "Indicateurs quantitatifs de mise en œuvre de l'action",
                ["En 2023 :", Item("Nb. de CJM : 67 dont MNA 32"), Item("Nb. de logements : 42")],
            )
        ],
        indicateurs_quantitatifs=[],
        indicateurs_qualitatifs=[],
    )
    fiche = only(parse(spec))
    assert fiche.indicateurs_quantitatifs == [
        "En 2023 : Nb. de CJM : 67 dont MNA 32",
        "En 2023 : Nb. de logements : 42",
    ]


def test_proposed_values_and_rate_check():
    spec = FicheSpec(
        indicateurs_quantitatifs=[
            "Nombre de femmes ayant bénéficié d'un EPP en 2024 : 51 pour 747 déclarations de grossesse soit 6,8%",
            "Nombre d'IP entrantes en 2024 : 598",
            "en 2024 : 63 pour 704 naissances soit 9% des femmes",
            "Nombre de VAD en 2024 : 63 pour 704 naissances soit 12%",
        ],
        indicateurs_qualitatifs=[],
    )
    result = parse(spec)
    fiche = only(result)
    first, second, third, fourth = fiche.valeurs_proposees
    assert first == {
        "indicateur": spec.indicateurs_quantitatifs[0],
        "annee": 2024,
        "numerateur": 51,
        "denominateur": 747,
        "taux_indique": 6.8,
        "valeur": 51,
    }
    assert (second["valeur"], second["annee"], second["numerateur"]) == (598, 2024, None)
    assert (third["numerateur"], third["denominateur"], third["taux_indique"]) == (63, 704, 9.0)
    assert fourth["taux_indique"] == 12.0
    rate_warnings = [m for m in messages(result) if m.startswith("Taux à vérifier")]
    assert rate_warnings == [
        "Taux à vérifier dans l'indicateur « Nombre de VAD en 2024 : 63 pour 704 naissances "
        "soit 12% » : 63 / 704 = 8,9 %, et non 12 %."
    ]


# -- mise en page ------------------------------------------------------------------------


@pytest.mark.parametrize("bullets", ["style", "char"])
def test_bullets_as_word_lists_or_characters(bullets):
    spec = FicheSpec(
        description=["Former les professionnels", Item("à repérer"), Item("à réagir")],
        calendrier=["Année 2025 et suivantes :", Item("Étape 1"), Item("Étape 2")],
    )
    fiche = only(parse(spec, Layout(bullets=bullets)))
    assert fiche.description == "Former les professionnels\n\n- à repérer\n- à réagir"
    assert fiche.calendrier_texte == "Année 2025 et suivantes :\n\n- Étape 1\n- Étape 2"
    assert fiche.calendrier == ["Étape 1", "Étape 2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("• un", [Paragraph("un", True)]),
        ("- un", [Paragraph("un", True)]),
        ("· un", [Paragraph("un", True)]),
        ("○ un", [Paragraph("un", True)]),
        ("-6 ans", [Paragraph("-6 ans")]),
        (
            "Intro : • un • deux",
            [Paragraph("Intro :"), Paragraph("un", True), Paragraph("deux", True)],
        ),
        ("ligne 1\nligne\u00a02", [Paragraph("ligne 1"), Paragraph("ligne 2")]),
    ],
)
def test_bullet_characters(text, expected):
    assert make_paragraphs(text) == expected


def test_calendar_without_steps():
    fiche = only(parse(FicheSpec(calendrier=["Années 2025 et suivantes"])))
    assert fiche.calendrier == []
    assert fiche.calendrier_texte == "Années 2025 et suivantes"
    fiche = only(
        parse(
            FicheSpec(calendrier=["2025 : diagnostic partagé avec les partenaires du territoire"])
        )
    )
    assert fiche.calendrier == ["2025 : diagnostic partagé avec les partenaires du territoire"]


def test_empty_rows_are_ignored():
    fiche = only(parse(FicheSpec(), Layout(empty_rows=True)))
    assert fiche.constat == "Un constat."
    assert fiche.points_vigilance == ["Baisse de la natalité"]


def test_nested_table_is_flattened():
    spec = FicheSpec(
        moyens=["Financement Etat : 14 574 €", "Financement CD : 14 574 € (valorisation)"]
    )
    fiche = only(parse(spec, Layout(nested_moyens=True)))
    assert fiche.moyens_texte == (
        "Financement Etat : 14 574 €\n\nFinancement CD : 14 574 € (valorisation)"
    )
    assert [(f["financeur"], f["montant"], f["valorisation"]) for f in fiche.financements] == [
        ("etat", 14574, False),
        ("cd", 14574, True),
    ]


def test_vertically_merged_label_continues_its_row():
    spec = FicheSpec(description=[Item("a"), Item("b"), Item("c"), Item("d")])
    result = parse(spec, Layout(vertical_merge_label="description"))
    assert only(result).description == "- a\n- b\n- c\n- d"
    assert result.warnings == []


def test_fiche_split_across_two_tables():
    spec = FicheSpec(
        description=["Intro", Item("a"), Item("b"), Item("c")],
        continuation=("description", 2),
        split_before="acteurs",
    )
    result = parse(spec)
    fiche = only(result)
    assert fiche.description == "Intro\n\n- a\n- b\n- c"
    assert fiche.acteurs == ["CH", "ARS", "CPAM"]
    assert fiche.points_vigilance == ["Baisse de la natalité"]
    assert result.warnings == []


def test_points_de_vigilance_written_below_the_table():
    spec = FicheSpec(
        points_vigilance=["Un", "Deux"], points_outside_table=True, postamble=["Publié le"]
    )
    fiche = only(parse(spec))
    assert fiche.points_vigilance == ["Un", "Deux"]


def test_several_fiches_and_template_lines():
    fiches = [
        FicheSpec(numero=1, titre="Premier", preamble=["Annexe 5 : Modèle de fiche action"]),
        FicheSpec(
            numero=2,
            titre="Deuxième",
            objectif_line="OBJECTIF N°3",
            preamble=[
                "Contractualisation en prévention et en protection de l'enfance 2025-2027",
                "Nommer le document au format « n° objectif_nom de la fiche action »",
            ],
        ),
        FicheSpec(numero=3, titre="Troisième", objectif_line="OBJECTIF N°10"),
    ]
    result = parse(fiches)
    assert [(f.numero, f.titre, f.objectifs) for f in result.fiches] == [
        (1, "Premier", [7]),
        (2, "Deuxième", [3]),
        (3, "Troisième", [10]),
    ]
    assert result.warnings == []


def test_fiche_line_before_objectif_line():
    spec = FicheSpec(numero=4)
    data = build_docx(
        [
            FicheSpec(numero=4, objectif_line="FICHE ACTION N°4", fiche_line="OBJECTIF N°2"),
            FicheSpec(numero=5, objectif_line="FICHE ACTION N°5", fiche_line="OBJECTIF N°6"),
        ]
    )
    result = parse_document(data, filename="f.docx")
    assert [(f.numero, f.objectifs, f.titre) for f in result.fiches] == [
        (4, [2], spec.titre),
        (5, [6], spec.titre),
    ]


def test_duplicate_fiche_numbers_are_warned():
    result = parse([FicheSpec(numero=2), FicheSpec(numero=2)])
    assert len(result.fiches) == 2
    assert (
        ImportWarning(
            "Le numéro de fiche 2 apparaît 2 fois dans ce document : "
            "une seule fiche portera ce numéro.",
            2,
        )
        in result.warnings
    )


def test_repeated_rubrique_is_merged_and_warned():
    result = parse(FicheSpec(extra_rows=[("Constat du diagnostic", ["Suite du constat."])]))
    assert only(result).constat == "Un constat.\n\nSuite du constat."
    assert any("apparaît deux fois" in m for m in messages(result))


def test_acteurs_are_split_outside_parentheses():
    spec = FicheSpec(
        acteurs=["EJE, TISF ; CAF, UDAF (pour la formation, sur demande)", Item("MSA")]
    )
    assert only(parse(spec)).acteurs == [
        "EJE",
        "TISF",
        "CAF",
        "UDAF (pour la formation, sur demande)",
        "MSA",
    ]


def test_to_json_has_exactly_the_published_keys():
    fiche = only(parse(FicheSpec()))
    data = fiche.to_json()
    assert list(data) == [
        "numero",
        "objectifs",
        "titre",
        "departement",
        "referent",
        "constat",
        "objectif_operationnel",
        "description",
        "acteurs",
        "financements",
        "calendrier",
        "indicateurs_quantitatifs",
        "indicateurs_qualitatifs",
        "points_vigilance",
        "valeurs_indicateurs",
    ]
    assert data["financements"] == [
        {"financeur": "etat", "montant": 10000, "valorisation": False, "note": ""},
        {"financeur": "cd", "montant": 10000, "valorisation": False, "note": ""},
    ]
    assert isinstance(data["financements"][0]["montant"], int)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _header_paragraphs(document) -> None:
    for text in ("OBJECTIF N°7 (obligatoire)", "FICHE ACTION N°3", "Un titre"):
        document.add_paragraph(text)


def test_horizontally_merged_cells_are_read_once():
    """python-docx répète la cellule fusionnée dans `row.cells` ; le lecteur ne la lit qu'une fois."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "OBJECTIF N°7"
    assert len({id(c._tc) for c in table.rows[0].cells}) == 1 and len(table.rows[0].cells) == 3
    [block] = [b for b in read_docx(_save(document)) if isinstance(b, Table)]
    assert block.rows[0] == [[Paragraph("OBJECTIF N°7")]]


def test_label_row_above_its_value_row():
    """Variante : le libellé occupe une rangée fusionnée, le contenu la rangée suivante."""
    document = docx.Document()
    _header_paragraphs(document)
    table = document.add_table(rows=0, cols=2)
    for label, value in [
        ("Constat du diagnostic", "Un constat."),
        ("Points de vigilance", "Un point"),
    ]:
        for text in (label, value):
            row = table.add_row()
            row.cells[0].merge(row.cells[1]).text = text
    result = parse_document(_save(document), filename="f.docx")
    fiche = only(result)
    assert (fiche.constat, fiche.points_vigilance) == ("Un constat.", ["Un point"])
    assert result.warnings == []


def test_fiche_written_without_table():
    """Variante : rubriques en paragraphes (« Libellé : texte » ou libellé puis texte)."""
    document = docx.Document()
    _header_paragraphs(document)
    document.add_paragraph("Constat du diagnostic : Un constat.")
    document.add_paragraph("Description de l'action")
    document.add_paragraph("Première action", style="List Bullet")
    document.add_paragraph("Seconde action", style="List Bullet")
    document.add_paragraph("Moyens financiers prévisionnels")
    document.add_paragraph("Financement Etat : 5 000 €")
    fiche = only(parse_document(_save(document), filename="f.docx"))
    assert fiche.constat == "Un constat."
    assert fiche.description == "- Première action\n- Seconde action"
    assert [(f["financeur"], f["montant"]) for f in fiche.financements] == [("etat", 5000)]


def test_content_controls_and_tracked_deletions():
    """Texte dans un contrôle de contenu lu ; texte supprimé en mode révision ignoré."""
    document = docx.Document()
    _header_paragraphs(document)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Constat du diagnostic"
    table.cell(0, 1).text = "Gardé."
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph = table.cell(0, 1).paragraphs[0]._p
    deleted = docx.oxml.parse_xml(
        f'<w:del xmlns:w="{w}" w:id="1" w:author="x"><w:r><w:delText> Supprimé.</w:delText>'
        "</w:r></w:del>"
    )
    paragraph.append(deleted)
    sdt = docx.oxml.parse_xml(
        f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:p><w:r><w:t>Points de vigilance</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"
    )
    document.element.body[-1].addprevious(sdt)  # avant w:sectPr
    document.add_paragraph("Un point")
    fiche = only(parse_document(_save(document), filename="f.docx"))
    assert fiche.constat == "Gardé."
    assert fiche.points_vigilance == ["Un point"]


def test_odt_merged_cells_and_vertical_layout():
    """OpenDocument : rangées fusionnées (cellules couvertes) lues une fois."""
    from odfdo import Cell, Document, Row
    from odfdo import Paragraph as OdtParagraph
    from odfdo import Table as OdtTable

    document = Document("text")
    body = document.body
    body.clear()
    table = OdtTable("Fiche")
    rows = [
        ("OBJECTIF N°7 (obligatoire)", ""),
        ("FICHE ACTION N°3", ""),
        ("Un titre", ""),
        ("Constat du diagnostic", "Un constat."),
        ("Points de vigilance", ""),
        ("Un point", ""),
    ]
    for left, right in rows:
        row = Row()
        row.append(Cell(left))
        row.append(Cell(right))
        table.append(row)
    table.set_span("A1:B1", merge=True)
    table.set_span("A5:B5", merge=True)
    table.set_span("A6:B6", merge=True)
    body.append(OdtParagraph("Annexe 5 : Modèle de fiche action"))
    body.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_document(buffer.getvalue(), filename="f.odt")
    fiche = only(result)
    assert (fiche.numero, fiche.objectifs, fiche.titre) == (3, [7], "Un titre")
    assert (fiche.constat, fiche.points_vigilance) == ("Un constat.", ["Un point"])
    assert result.warnings == []

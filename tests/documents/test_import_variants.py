"""Import : variantes de mise en page et de rédaction des fiches (documents fabriqués)."""

import pytest

from pilotage.documents.importer import ImportResult, ImportWarning, parse_document
from pilotage.documents.importer.blocks import Paragraph, make_paragraphs
from pilotage.documents.importer.labels import fiche_header, match_label, objectif_numbers

from .docx_builder import FicheSpec, Item, Layout, build_docx


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
    import io

    import docx

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
    ]
    assert data["financements"] == [
        {"financeur": "etat", "montant": 10000, "valorisation": False, "note": ""},
        {"financeur": "cd", "montant": 10000, "valorisation": False, "note": ""},
    ]
    assert isinstance(data["financements"][0]["montant"], int)

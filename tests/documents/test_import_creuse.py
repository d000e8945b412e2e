"""Import : les 17 fiches publiées de la Creuse, reconstituées en Word (et une en ODT),
redonnent la transcription de pilotage/demo/data/creuse_2025_2027.json.

Tolérances, voulues :
- indicateurs comparés comme un ensemble (quantitatifs + qualitatifs) : la rubrique
  publiée est unique et le partage automatique diffère de la transcription pour trois
  indicateurs (« Conventions conclues », « 12 janvier 2024 : demi-journée… »,
  « Actualiser ASE ») ; un indicateur national transcrit avec sa valeur propre est écrit
  « Indicateur national : <libellé> : <valeur> » ;
- acteurs : l'implication transcrite à part (« UDAF », « pour la formation ») est écrite
  entre parenthèses, comme dans la source ;
- fiches 6, 13 et 15 : les lignes d'un même indicateur pour deux années (« Nombre d'IP
  entrantes : 2023 : 424 », « … en 2024 : 598 ») sont réunies en un indicateur à valeurs
  datées (`REGROUPES`) ;
- fiche 15 : la phrase « Prix de journée … = 766 500 € / an à la charge du CD » n'est pas
  une ligne « Financement … » : elle n'est pas lue comme un financement mais signalée.
"""

import json

import pytest

from pilotage.documents.importer import ImportWarning, parse_document

from .docx_builder import (
    FicheSpec,
    build_odt,
    creuse_acteur_text,
    creuse_fiches,
    creuse_indicator_text,
    lines_from_structured,
)

EXPECTED = {fiche["numero"]: fiche for fiche in creuse_fiches()}

#: Indicateur réuni → lignes transcrites qu'il remplace, par fiche (voulu : issue 14, point 5).
REGROUPES = {
    6: {
        "Nombre d'IP entrantes": [
            "Nombre d'IP entrantes : 2023 : 424",
            "Nombre d'IP entrantes en 2024 : 598",
        ],
        "Nombre d'IP évaluées": [
            "Nombre d'IP évaluées 2023 : 212 soit 50 %",
            "Nombre d'IP évaluées 2024 : 257 soit 43 %",
        ],
    },
    13: {
        "Nombre de MAP": [
            "nombre de MAP : 12 mesures exercées en 2023",
            "nombre de MAP en 2024 : 16",
        ]
    },
    15: {
        "Nb. de CJM": [
            "En 2023 : Nb. de CJM : 67 dont MNA 32",
            "En 2024 : Nb. de CJM : 94 dont 48 MNA",
        ]
    },
}


@pytest.fixture(scope="module")
def creuse_result(creuse_docx):
    return parse_document(creuse_docx, filename="creuse_2025_2027.docx")


def _indicators(fiche) -> set[str]:
    return set(fiche.indicateurs_quantitatifs) | set(fiche.indicateurs_qualitatifs)


def _expected_indicators(expected) -> set[str]:
    both = expected["indicateurs_quantitatifs"] + expected["indicateurs_qualitatifs"]
    texts = {creuse_indicator_text(i) for i in both}
    for libelle, lignes in REGROUPES.get(expected["numero"], {}).items():
        assert set(lignes) <= texts
        texts = (texts - set(lignes)) | {libelle}
    return texts


def test_seventeen_fiches_in_order(creuse_result):
    assert [f.numero for f in creuse_result.fiches] == list(range(1, 18))


@pytest.mark.parametrize("numero", range(1, 18))
def test_creuse_fiche(creuse_result, numero):
    fiche = creuse_result.fiches[numero - 1]
    expected = EXPECTED[numero]
    assert fiche.numero == numero
    assert fiche.objectifs == expected["objectifs"]
    assert fiche.entete_objectifs == expected["entete_objectifs"]
    assert fiche.titre == expected["titre"]
    assert fiche.departement == expected["departement_libelle"]
    assert fiche.referent == expected["referent"]
    assert fiche.constat == expected["constat"]
    assert fiche.objectif_operationnel == expected["objectif_operationnel"]
    assert fiche.description == expected["description"]
    assert fiche.acteurs == [creuse_acteur_text(a) for a in expected["acteurs"]]
    assert fiche.moyens_texte == expected["moyens_texte"]
    assert fiche.calendrier_texte == expected["calendrier_texte"]
    assert fiche.calendrier == [jalon["libelle"] for jalon in expected["jalons"]]
    assert _indicators(fiche) == _expected_indicators(expected)
    assert fiche.points_vigilance == expected["points_vigilance"]
    financements = [(f["financeur"], f["montant"], f["valorisation"]) for f in fiche.financements]
    wanted = [(f["financeur"], f["montant"], f["valorisation"]) for f in expected["financements"]]
    if numero == 15:
        wanted = [row for row in wanted if row != ("cd", 766500, False)]
    assert financements == wanted


def test_creuse_warnings(creuse_result):
    """Seule la phrase de moyens de la fiche 15 est à reprendre ; aucun taux n'est faux."""
    assert creuse_result.warnings == [
        ImportWarning(
            "Moyens financiers : texte non reconnu comme ligne de financement, à reprendre "
            "à la main : « Prix de journée ORIGAMIE : 70€/jours X 365 jrs X 30 jeunes / an "
            "= 766 500 € / an à la charge du CD ».",
            15,
        )
    ]


def test_creuse_known_objectifs(creuse_result, creuse_docx):
    result = parse_document(creuse_docx, filename="c.docx", known_objectifs=set(range(1, 14)))
    extra = [w for w in result.warnings if w not in creuse_result.warnings]
    assert extra == [ImportWarning("Objectif n°14 absent du référentiel.", 8)]


def test_creuse_proposed_values(creuse_result):
    first = creuse_result.fiches[0].valeurs_proposees
    assert first == [
        {
            "indicateur": "Nombre de femmes ayant bénéficié d'un EPP en 2024 : 51 pour 747 "
            "déclarations de grossesse soit 6,8%",
            "annee": 2024,
            "numerateur": 51,
            "denominateur": 747,
            "taux_indique": 6.8,
            "valeur": 51,
        }
    ]
    # Fiche 6 : les chiffres des lignes réunies sont les valeurs datées de l'indicateur.
    fiche_6 = creuse_result.fiches[5]
    assert fiche_6.valeurs_proposees == []
    assert [
        (g.libelle, [(v["annee"], v["valeur"]) for v in g.valeurs]) for g in fiche_6.regroupements
    ] == [
        ("Nombre d'IP entrantes", [(2023, 424), (2024, 598)]),
        ("Nombre d'IP évaluées", [(2023, 212), (2024, 257)]),
    ]


def test_creuse_json_is_serialisable(creuse_result):
    data = json.loads(json.dumps(creuse_result.to_json(), ensure_ascii=False))
    assert len(data["fiches"]) == 17
    assert data["fiches"][0]["financements"][1] == {
        "financeur": "cd",
        "montant": 14574,
        "valorisation": True,
        "note": "valorisation",
    }
    assert data["warnings"][0]["fiche"] == 15


@pytest.mark.parametrize("header", ["paragraphs", "table"])
@pytest.mark.parametrize("numero", [8, 13])
def test_odt_fiche(numero, header):
    expected = EXPECTED[numero]
    spec = FicheSpec(
        numero=numero,
        objectif_line=expected["entete_objectifs"],
        titre=expected["titre"],
        departement_line=f"Département concerné : {expected['departement_libelle']}",
        referent_line=f"Référent (personne ou institution) : {expected['referent']}",
        constat=lines_from_structured(expected["constat"]),
        objectif_operationnel=lines_from_structured(expected["objectif_operationnel"]),
        description=lines_from_structured(expected["description"]),
        acteurs=[", ".join(creuse_acteur_text(a) for a in expected["acteurs"])],
        moyens=lines_from_structured(expected["moyens_texte"]),
        calendrier=lines_from_structured(expected["calendrier_texte"]),
        indicateurs_quantitatifs=[
            creuse_indicator_text(i) for i in expected["indicateurs_quantitatifs"]
        ],
        indicateurs_qualitatifs=[
            creuse_indicator_text(i) for i in expected["indicateurs_qualitatifs"]
        ],
        points_vigilance=list(expected["points_vigilance"]),
    )
    result = parse_document(build_odt(spec, header=header), filename="fiche.odt")
    assert result.warnings == []
    [fiche] = result.fiches
    assert (fiche.numero, fiche.objectifs, fiche.titre) == (
        numero,
        expected["objectifs"],
        expected["titre"],
    )
    assert fiche.referent == expected["referent"]
    assert fiche.constat == expected["constat"]
    assert fiche.objectif_operationnel == expected["objectif_operationnel"]
    assert fiche.description == expected["description"]
    assert fiche.moyens_texte == expected["moyens_texte"]
    assert fiche.calendrier == [jalon["libelle"] for jalon in expected["jalons"]]
    assert _indicators(fiche) == _expected_indicators(expected)
    assert fiche.points_vigilance == expected["points_vigilance"]
    assert [(f["financeur"], f["montant"]) for f in fiche.financements] == [
        (f["financeur"], f["montant"]) for f in expected["financements"]
    ]

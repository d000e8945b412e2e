"""Import : les lignes d'un même indicateur pour plusieurs années deviennent un indicateur
et des valeurs datées (issue 14, point 5) ; l'aperçu permet de garder les lignes séparées."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.documents.importer import parse_document
from pilotage.documents.importer.regroupement import group_lines
from pilotage.documents.services import fiches_import
from pilotage.suivi.models import ValeurIndicateur
from tests.documents.docx_builder import FicheSpec, build_docx
from tests.factories import ContratFactory, UserFactory, grant
from tests.htmx import parse_page

#: Lignes publiées des fiches 6 et 13 de la Creuse (2025-2027), telles qu'écrites.
FICHE_6 = [
    "Nombre d'ETP dédiés en CRIP",
    "Nombre d'IP entrantes : 2023 : 424",
    "Nombre d'IP entrantes en 2024 : 598",
]
FICHE_13 = [
    "Nombre de MAP exercées (10 mois d'expérimentation en 2023)",
    "nombre de MAP : 12 mesures exercées en 2023",
    "nombre d'enfants concernés : 13",
    "nombre de MAP en 2024 : 16",
    "nombre d'enfants concernés en 2024 : 24",
]


def _values(groupe):
    return [(v["annee"], v["valeur"]) for v in groupe.valeurs]


def test_fiche_6_lines_become_one_indicator_with_two_dated_values():
    texts, [groupe] = group_lines(FICHE_6)
    assert texts == ["Nombre d'ETP dédiés en CRIP", "Nombre d'IP entrantes"]
    assert groupe.libelle == "Nombre d'IP entrantes"
    assert _values(groupe) == [(2023, 424), (2024, 598)]
    assert [v["texte"] for v in groupe.valeurs] == FICHE_6[1:]


def test_fiche_13_lines_become_one_indicator_and_other_lines_stay():
    texts, [groupe] = group_lines(FICHE_13)
    assert texts == [
        "Nombre de MAP exercées (10 mois d'expérimentation en 2023)",
        "Nombre de MAP",
        "nombre d'enfants concernés : 13",
        "nombre d'enfants concernés en 2024 : 24",
    ]
    assert _values(groupe) == [(2023, 12), (2024, 16)]
    assert groupe.lignes == (FICHE_13[1], FICHE_13[3])


@pytest.mark.parametrize(
    "lines",
    [
        # deux indicateurs différents, même année ou non
        ["Nombre d'IP entrantes en 2023 : 424", "Nombre de MAP en 2024 : 16"],
        # même libellé, même année : deux choses différentes, pas un historique
        ["Nombre de VAD en 2024 : 63", "Nombre de VAD en 2024 : 231"],
        # une cible n'est pas une valeur
        ["Nombre de VAD en 2023 : 63", "Nombre de VAD cible : 80 en 2027"],
        # sans chiffre ou sans année
        ["Nombre de VAD en 2023", "Nombre de VAD en 2024"],
        ["Nombre de VAD : 63", "Nombre de VAD : 80"],
        ["Indicateur national : Nombre de VAD en 2023 : 1", "Nombre de VAD en 2024 : 2"],
    ],
)
def test_lines_about_different_things_are_never_grouped(lines):
    assert group_lines(lines) == (lines, [])


def test_year_detection_stays_linear_on_hostile_text():
    """Sans retour arrière coûteux : ces lignes fabriquées se lisent sans attendre."""
    hostile = [
        "Nombre " + "en 2024 : " * 99 + "x",
        "Nombre" + " " * 990 + "x",
        "Nombre : " + "2023 : " * 140 + "1",
        "Nombre de VAD en 2023 : 1" + " :" * 480,
    ]
    texts, _ = group_lines(hostile * 50)
    assert texts
    too_long = "Nombre de VAD en 2023 : 1 " + "x" * 1000
    assert group_lines([too_long, "Nombre de VAD en 2024 : 2"])[1] == []


def test_parsed_fiche_lists_the_indicator_once_and_the_figures_in_a_new_json_key():
    data = build_docx(FicheSpec(indicateurs_quantitatifs=FICHE_6))
    [fiche] = parse_document(data, filename="f.docx").fiches
    published = fiche.to_json()
    assert published["indicateurs_quantitatifs"] == [
        "Nombre d'ETP dédiés en CRIP",
        "Nombre d'IP entrantes",
    ]
    assert published["valeurs_indicateurs"] == [
        {
            "indicateur": "Nombre d'IP entrantes",
            "annee": 2023,
            "valeur": 424,
            "texte": "Nombre d'IP entrantes : 2023 : 424",
        },
        {
            "indicateur": "Nombre d'IP entrantes",
            "annee": 2024,
            "valeur": 598,
            "texte": "Nombre d'IP entrantes en 2024 : 598",
        },
    ]
    assert fiche.valeurs_proposees == []


# --- enregistrement ------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _result(lines):
    data = build_docx(FicheSpec(numero=13, indicateurs_quantitatifs=lines))
    return parse_document(data, filename="fiche-13.docx")


def _saved(contrat):
    fiche = contrat.fiches.get(numero=13)
    return {
        i.libelle: [
            (v.annee, int(v.valeur), v.source, v.commentaire)
            for v in ValeurIndicateur.objects.filter(indicateur=i).order_by("annee")
        ]
        for i in fiche.indicateurs.filter(nature="quantitatif")
    }


def test_import_creates_one_indicator_with_values_sourced_from_the_document(db, media):
    contrat = ContratFactory()
    fiches_import(contrat=contrat, result=_result(FICHE_13), user=None, filename="creuse.docx")
    saved = _saved(contrat)
    source = "Fiche action importée (creuse.docx)"
    assert saved["Nombre de MAP"] == [
        (2023, 12, source, "Ligne de la fiche : « nombre de MAP : 12 mesures exercées en 2023 »"),
        (2024, 16, source, "Ligne de la fiche : « nombre de MAP en 2024 : 16 »"),
    ]
    assert "nombre de MAP en 2024 : 16" not in saved


def test_dry_run_writes_no_value(db, media):
    contrat = ContratFactory()
    outcome = fiches_import(
        contrat=contrat, result=_result(FICHE_13), user=None, filename="f.docx", dry_run=True
    )
    assert [g.libelle for g in outcome.fiches[0].regroupements] == ["Nombre de MAP"]
    assert not ValeurIndicateur.objects.exists()


def test_reimporting_the_same_document_does_not_duplicate_values(db, media):
    contrat = ContratFactory()
    for name in ("v1.docx", "v2.docx"):
        fiches_import(contrat=contrat, result=_result(FICHE_13), user=None, filename=name)
    assert [v[:2] for v in _saved(contrat)["Nombre de MAP"]] == [(2023, 12), (2024, 16)]
    assert contrat.fiches.get(numero=13).indicateurs.filter(libelle="Nombre de MAP").count() == 1


def test_keeping_the_lines_separate_imports_them_as_written_without_values(db, media):
    contrat = ContratFactory()
    outcome = fiches_import(
        contrat=contrat,
        result=_result(FICHE_13),
        user=None,
        filename="f.docx",
        separes={"regroupement-13-1"},
    )
    assert list(_saved(contrat)) == FICHE_13
    assert not ValeurIndicateur.objects.filter(indicateur__fiche__contrat=contrat).exists()
    assert outcome.fiches[0].regroupements[0].separe


# --- aperçu et confirmation (client de test) -----------------------------------------


def _preview_url(client, contrat):
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    data = build_docx(FicheSpec(numero=13, indicateurs_quantitatifs=FICHE_13))
    upload = SimpleUploadedFile("fiche-13.docx", data)
    response = client.post(f"/contrats/{contrat.pk}/import/", {"fichier": upload})
    assert response.status_code == 302
    return response["Location"]


def test_preview_shows_the_grouping_with_an_unchecked_keep_separate_box(client, db, media):
    contrat = ContratFactory()
    page = parse_page(client.get(_preview_url(client, contrat)))
    [section] = page.xpath('//section[@id="regroupements"]')
    text = " ".join(section.text_content().split())
    assert "Fiche n°13 – Nombre de MAP" in text
    assert "2023 : 12 — « nombre de MAP : 12 mesures exercées en 2023 »" in text
    assert "2024 : 16 — « nombre de MAP en 2024 : 16 »" in text
    [box] = section.xpath('.//input[@type="checkbox"][@name="regroupement-13-1"]')
    assert box.get("checked") is None
    assert box.xpath("ancestor::form")
    assert "Garder ces lignes séparées" in text


def test_confirming_with_the_box_checked_keeps_the_lines_separate(client, db, media):
    contrat = ContratFactory()
    url = _preview_url(client, contrat)
    client.post(url, {"action": "confirmer", "regroupement-13-1": "on"})
    libelles = list(contrat.fiches.get(numero=13).indicateurs.values_list("libelle", flat=True))
    assert "nombre de MAP en 2024 : 16" in libelles
    assert "Nombre de MAP" not in libelles


def test_confirming_by_default_groups_and_records_the_values(client, db, media):
    contrat = ContratFactory()
    response = client.post(_preview_url(client, contrat), {"action": "confirmer"}, follow=True)
    assert [v[:2] for v in _saved(contrat)["Nombre de MAP"]] == [(2023, 12), (2024, 16)]
    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith(", 2 valeur(s) d'indicateur enregistrée(s).")


# --- démonstration (chargée une fois pour le module : ces tests viennent en dernier) --


def test_demo_fiches_6_and_13_have_one_indicator_with_dated_values(demo_data):
    from pilotage.contrats.models import Contrat

    contrat = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    expected = {6: ("Nombre d'IP entrantes", [424, 598]), 13: ("Nombre de MAP", [12, 16])}
    lines = {6: FICHE_6[1:], 13: [FICHE_13[1], FICHE_13[3]]}
    for numero, (libelle, valeurs) in expected.items():
        fiche = contrat.fiches.get(numero=numero)
        libelles = list(fiche.indicateurs.values_list("libelle", flat=True))
        assert libelles.count(libelle) == 1
        assert not set(lines[numero]) & set(libelles)
        indicateur = fiche.indicateurs.get(libelle=libelle)
        saved = [(v.annee, int(v.valeur), v.commentaire) for v in indicateur.valeurs.all()]
        assert [s[:2] for s in saved] == list(zip((2023, 2024), valeurs, strict=True))
        assert all(s[2].startswith("Ligne de la fiche : « ") for s in saved)

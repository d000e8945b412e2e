"""Garde-fou « données personnelles » : détection et surlignage (`core/personal_data.py`).

Les parcours dans les formulaires sont dans `test_personal_data_form.py`.
"""

import json
from pathlib import Path

import pytest

from pilotage.core.personal_data import LABELS, Finding, detect, highlight

CREUSE = Path(__file__).resolve().parents[2] / "pilotage/demo/data/creuse_2025_2027.json"


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in detect(text)}


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Mme Dupont a été reçue", "Mme Dupont"),
        ("M. Jean Martin est venu", "M. Jean Martin"),
        ("Madame Léa Durand", "Madame Léa Durand"),
        ("Mlle Petit est venue seule", "Mlle Petit"),
        ("Monsieur Bernard, éducateur", "Monsieur Bernard"),
        ("Dr. Martin a signalé la situation", "Dr. Martin"),
        ("M. Le Gall a rappelé", "M. Le Gall"),
        ("Mme N'Diaye", "Mme N'Diaye"),
        ("Kevin DURAND est venu", "Kevin DURAND"),
        ("Jean-Pierre DURAND", "Jean-Pierre DURAND"),
        ("suivi de DURAND Kevin", "DURAND Kevin"),
        ("l'enfant Lucas Martin a été vu", "l'enfant Lucas Martin"),
        ("la famille Benali", "la famille Benali"),
        ("la famille DUPONT a refusé", "la famille DUPONT"),
        ("Le jeune Théo est accueilli", "Le jeune Théo"),
        ("la mère de Lucas a appelé", "la mère de Lucas"),
        ("le père, Karim Benali, est absent", "le père, Karim Benali"),
        ("« Léa Durand nous a dit merci »", "Léa Durand"),
        ('"Jean Dupont"', "Jean Dupont"),
        ("Lucas D. a été reçu", "Lucas D."),
        ("le petit Lucas D est venu", "Lucas D"),
        ("reçu avec Emma B, sa sœur", "Emma B"),
    ],
)
def test_names_are_detected(text, excerpt):
    findings = detect(text)
    assert [(f.kind, f.excerpt) for f in findings] == [("nom", excerpt)]
    assert findings[0].label == "Nom et prénom"
    assert text[findings[0].start : findings[0].end] == excerpt


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("né le 12/03/2015", "date_naissance"),
        ("Née le 1er mars 2016, elle…", "date_naissance"),
        ("né à Guéret le 12 mars 2015", "date_naissance"),
        ("née en 2019 à Guéret", "date_naissance"),
        ("date de naissance inconnue", "date_naissance"),
        ("DDN : 01/02/2016", "date_naissance"),
        ("naissance : 03.04.2017", "date_naissance"),
        ("Lucas, 7 ans, scolarisé", "age_nom"),
        ("Emma, âgée de 4 ans", "age_nom"),
        ("Emma (6 ans)", "age_nom"),
        ("âgé de 4 ans, Lucas est arrivé", "age_nom"),
        ("Mme Dupont, 35 ans", "age_nom"),
        ("Kylian, 18 mois", "age_nom"),
        ("Appeler le 06 12 34 56 78", "telephone"),
        ("tél. +33 5 55 12 34 56", "telephone"),
        ("05.55.12.34.56", "telephone"),
        ("06-12-34-56-78", "telephone"),
        ("0033 6 12 34 56 78", "telephone"),
        ("0612345678", "telephone"),
        ("écrire à kevin.durand@exemple.fr", "email"),
        ("contact : parent@mail.test", "email"),
        ("prenom.nom+ase@departement23.example.org", "email"),
        ("domicilié 12 rue des Lilas 23000 Guéret", "adresse"),
        ("3 bis avenue de la Gare", "adresse"),
        ("au 7 impasse du Moulin", "adresse"),
        ("5, chemin des Prés", "adresse"),
        ("14 boulevard Carnot", "adresse"),
        ("2 allée des Tilleuls", "adresse"),
        ("1 place Bonnyaud", "adresse"),
        ("NIR 1 85 05 78 006 084 91", "nir"),
        ("185057800608491", "nir"),
        ("2850578006084", "nir"),
        ("1 85 05 78 006 084", "nir"),
    ],
)
def test_other_personal_data_is_detected(text, kind):
    assert kinds(text) == {kind}


def test_excerpts_and_positions_of_several_findings():
    text = "Mme Dupont, née le 12/03/2015, joignable au 06 12 34 56 78 ou à l.dupont@exemple.fr."
    findings = detect(text)
    assert [(f.kind, f.excerpt) for f in findings] == [
        ("nom", "Mme Dupont"),
        ("date_naissance", "née le 12/03/2015"),
        ("telephone", "06 12 34 56 78"),
        ("email", "l.dupont@exemple.fr"),
    ]
    assert all(text[f.start : f.end] == f.excerpt for f in findings)
    assert {f.label for f in findings} <= set(LABELS.values())


def test_an_address_stops_at_the_end_of_the_line():
    (finding,) = detect("12 rue des Lilas 23000 Guéret\nIdentification des acteurs")
    assert finding.excerpt == "12 rue des Lilas 23000 Guéret"


@pytest.mark.parametrize(
    "text",
    [
        "14/05/2025, école maternelle",
        "85% des retours parentaux sont positifs ; familles mieux informées sur le suivi",
        "Les familles sont-elles écoutées et orientées ?",
        "La PMI, l'ASE et l'ODPE de la Creuse se réunissent le 12/03/2026.",
        "Réunion du 14/05/2025 à 14h, puis le 3 juin 2025",
        "Un premier travail, conduit avec la chercheuse, Claire Littaye, a permis de mieux comprendre",
        "Financement Etat : 14 574 € Financement CD : 14 574€ (valorisation)",
        "787 enfants de 3 ans ont bénéficié d'un bilan",
        "787 enfants nés en 2022 ont bénéficié d'un bilan",
        "Depuis 3 ans, le service a doublé ; en 2 ans, pendant 5 ans. Ainsi, 3 ans après",
        "Jeunes âgés de 17 ans l'année précédente",
        "1 place disponible, 3 places en crèche, 12 cours de soutien",
        "M. le Préfet, Monsieur Le Maire et Madame la Présidente",
        "le jeune MNA accueilli par la famille d'accueil ; la famille ASE",
        "le jeune Creusois, l'enfant Roi, le père Noël",
        "« Petite Enfance », « Maison Familiale Rurale »",
        "France Travail, FRANCE TRAVAIL, Mission Locale, Nouvelle-Aquitaine",
        "collège Marie CURIE, rue Victor HUGO",
        "Guéret, Boussac, Auzances, Evaux-les-Bains : PANJO, ORIGAMIE, POLARIS, ALEFPA",
        "RPNA, UDAF, CHG, ASE, PMI, TISF, ODPE, CRIP, MECS de BOSGENET, DR RAYNAUD",
        "Renforcer prévention chez l’enfant\n\tÉvaluation du ressenti des familles",
        "Budget 2025-2027 : 1 250 000 €, 05/2025",
        "Annexe A. Plan B. Marie A partir de 2026, Louis Y compris",
        "NIR 1 85 05 78 006 084 36",  # clé fausse (la bonne est 91) : pas un NIR
        "",
    ],
)
def test_ordinary_administrative_text_is_not_flagged(text):
    assert detect(text) == []


def creuse_texts():
    """Chaque texte des 17 fiches publiées de la Creuse, avec sa provenance."""
    for fiche in json.loads(CREUSE.read_text(encoding="utf-8"))["fiches"]:
        where = f"fiche {fiche['numero']}"
        for name in (
            "titre",
            "referent",
            "entete_objectifs",
            "departement_libelle",
            "constat",
            "objectif_operationnel",
            "description",
            "calendrier_texte",
            "moyens_texte",
        ):
            yield f"{where} {name}", fiche[name]
        for acteur in fiche["acteurs"]:
            yield f"{where} acteur", acteur["nom"]
            yield f"{where} implication", acteur["implication"]
        for financement in fiche["financements"]:
            yield f"{where} financement", f"{financement['libelle']} {financement['note']}"
        for jalon in fiche["jalons"]:
            yield f"{where} jalon", f"{jalon['libelle']} {jalon['periode']}"
        for indicateur in fiche["indicateurs_quantitatifs"] + fiche["indicateurs_qualitatifs"]:
            yield f"{where} indicateur", indicateur["libelle"]
        for point in fiche["points_vigilance"]:
            yield f"{where} vigilance", point


def test_the_17_published_creuse_fiches_raise_no_alarm():
    texts = list(creuse_texts())
    assert len({where.split()[1] for where, _t in texts}) == 17
    flagged = [(where, text[:80], detect(text)) for where, text in texts if detect(text)]
    assert flagged == []


def test_highlight_escapes_everything_but_the_marks():
    text = '<script>alert("x")</script> Mme Dupont & <b>06 12 34 56 78</b>'
    html = highlight(text, detect(text))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<mark title="Nom et prénom">Mme Dupont</mark> &amp; &lt;b&gt;' in html
    assert '<mark title="Numéro de téléphone">06 12 34 56 78</mark>&lt;/b&gt;' in html


def test_highlight_escapes_the_marked_passage_and_its_title():
    text = "<img src=x onerror=alert(1)>"
    html = highlight(text, [Finding("nom", 'a"b', 0, len(text), text)])
    assert html == '<mark title="a&quot;b">&lt;img src=x onerror=alert(1)&gt;</mark>'


def test_highlight_without_findings_is_the_escaped_text():
    assert highlight("a < b", []) == "a &lt; b"

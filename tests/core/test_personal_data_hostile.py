"""Garde-fou « données personnelles » sur des textes fabriqués pour le ralentir.

L'audit a figé le serveur 27 s avec 100 ko de « a.a.a.…@b » dans un relevé : chaque
règle doit rester linéaire. Les bornes (1 s pour 100 ko) sont larges : ce sont des
garde-fous contre un gel, pas des mesures de performance.
"""

import time

import pytest

from pilotage.core.personal_data import detect

SIZE = 100_000

HOSTILE = {
    "courriel sans domaine": "a." * 50_000 + "@b",
    "mots pointés puis arobase": "Jean.Martin." * 8_400 + "@b",
    "tirets puis arobase": "a-b." * 25_000 + "@b",
    "arobases": "@" * SIZE,
    "arobases entre lettres": "a@" * 50_000,
    "domaine sans fin": "a@b" + ".c" * 50_000,
    "chiffres et points": "1." * 50_000,
    "chiffres et espaces": "06 " * 33_000,
    "chiffres et tirets": "0-1" * 33_000,
    "chiffres sans fin": "1" * SIZE,
    "prénoms à tirets": "Jean-" * 20_000,
    "capitales à tirets": "DURAND-" * 14_000,
    "prénoms à tirets puis nom": "Jean-" * 20_000 + "Jean DURAND",
    "noms en capitales": "DURAND " * 14_000,
    "prénoms": "Jean " * 20_000,
    "civilités": "Mme " * 25_000,
    "civilité puis prénoms à tirets": "Mme " + "Jean-" * 20_000,
    "civilités à tirets": "Mme Jean-" * 11_000,
    "lien puis prénoms à tirets": "la mère de " + "Jean-" * 20_000,
    "citations de prénoms à tirets": ('"' + "Jean-" * 39 + 'Jean"') * 500,
    "civilité et espaces": "Mme" + " " * SIZE,
    "liens": "la mère " * 12_500,
    "guillemets ouvrants": "«" * SIZE,
    "guillemets droits": '"Jean ' * 16_000,
    "naissances": "née le " * 14_000,
    "adresses": "12 rue " * 14_000,
    "adresse sans fin": "12 rue A" + " de A" * 20_000,
    "âges": "Lucas, 7 " * 11_000,
    "apostrophes": "D'" * 50_000,
    "sécurité sociale": "1 85 05 " * 12_500,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_checked_in_well_under_a_second(text):
    assert len(text) >= 90_000
    start = time.perf_counter()
    detect(text)
    assert time.perf_counter() - start < 1.0


def test_the_audit_input_still_finds_what_it_should():
    """Le texte de l'audit suivi d'un vrai courriel : la règle linéaire le trouve encore."""
    findings = detect("a." * 50_000 + "@b et kevin.durand@exemple.fr")
    assert [(f.kind, f.excerpt) for f in findings] == [("email", "kevin.durand@exemple.fr")]

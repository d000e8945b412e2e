"""Racines des mots français, pour la recherche sur SQLite (FTS5).

Un raciniseur léger : accents et casse repliés, pluriels (-s, -x, -aux) et terminaisons
courantes (-ation, -ement, -er, -ée…) retirés, si bien que « évaluation »,
« évaluations » et « evaluer » donnent tous « evalu ». Le même traitement s'applique au
texte indexé et à la question. PostgreSQL a son propre raciniseur (configuration
`fr_unaccent`) : ce module ne lui sert pas.
"""

import functools
import re
import unicodedata

# Un mot : lettres et chiffres (regex linéaire, sans retour arrière).
MOT = re.compile(r"\w+")

# Terminaisons retirées, la plus longue d'abord ; une seule par mot.
SUFFIXES = (
    "issements",
    "issement",
    "atrices",
    "ateurs",
    "ations",
    "atrice",
    "ateur",
    "ation",
    "ements",
    "ement",
    "ition",
    "ances",
    "ences",
    "ance",
    "ence",
    "euses",
    "euse",
    "ions",
    "ion",
    "ees",
    "ee",
    "ers",
    "er",
    "ez",
    "ive",
    "if",
    "eur",
    "es",
    "e",
)
RACINE_MIN = 3


def replier(texte: str) -> str:
    """Minuscules sans accents : « Évaluée » → « evaluee » ; « œ » → « oe »."""
    texte = texte.casefold().replace("œ", "oe").replace("æ", "ae")
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8192)
def racine(mot: str) -> str:
    """La racine d'un mot (déjà replié ou non) ; gardée en mémoire, les mots se répètent."""
    mot = replier(mot)
    if len(mot) <= RACINE_MIN or not mot.isalpha():
        return mot
    if mot.endswith("eaux"):
        mot = mot[:-1]
    elif mot.endswith("aux"):
        mot = mot[:-3] + "al"
    elif mot[-1] in "sx" and len(mot) > RACINE_MIN + 1:
        mot = mot[:-1]
    for suffixe in SUFFIXES:
        if mot.endswith(suffixe) and len(mot) - len(suffixe) >= RACINE_MIN:
            mot = mot[: -len(suffixe)]
            break
    # « reprises » → « repris » comme « repris » : le s qui reste après la terminaison tombe.
    if mot.endswith("s") and len(mot) > RACINE_MIN + 1:
        mot = mot[:-1]
    return mot


def mots(texte: str) -> list[str]:
    return MOT.findall(texte)


def racines(texte: str) -> str:
    """Le texte réduit à ses racines, séparées par une espace (ce qu'indexe FTS5)."""
    return " ".join(racine(m) for m in MOT.findall(texte))

"""Noms des financeurs dans les fiches actions : la table unique des synonymes.

Chaque forme écrite dans un document mène à un financeur de `contrats.Financement`
(etat, cd, ars_fir, ondam, caf, autre). Les formes sont comparées sans accents ni
majuscules, mot entier (`normalize`) ; la première forme qui apparaît dans le texte
l'emporte, la plus longue à position égale (« conseil départemental (CD) » : cd).

Sources : « fiches de la Creuse » (fiches actions publiées 2025-2027) ; « corpus
d'import » (variantes écrites pour tests/documents/corpus, issue 14, sans document
source réel : à remplacer par la source quand un département les emploie) ; « nom de
l'organisme » (nom officiel complet du financeur, ou son sigle courant).
"""

import re
import unicodedata

#: (financeur, forme normalisée, d'où elle vient). « autre » avec un nom (région,
#: commune…) garde ce nom comme libellé de la ligne ; « autres » seul n'en a pas.
SYNONYMES: list[tuple[str, str, str]] = [
    ("etat", "etat", "fiches de la Creuse (« Financement Etat », « Financement État »)"),
    ("etat", "credits d'etat", "nom de l'organisme"),
    ("etat", "dgcs", "nom de l'organisme (direction générale de la cohésion sociale)"),
    ("etat", "prefecture", "nom de l'organisme"),
    ("etat", "ministere", "nom de l'organisme"),
    ("cd", "cd", "fiches de la Creuse (« Financement CD »)"),
    ("cd", "conseil departemental", "fiches de la Creuse (« conseil départemental (CD) »)"),
    ("cd", "departement", "nom de l'organisme"),
    ("cd", "conseil general", "nom de l'organisme (ancien nom du conseil départemental)"),
    ("ars_fir", "ars", "corpus d'import (« ARS (FIR) »)"),
    ("ars_fir", "fir", "corpus d'import (« ARS (FIR) »)"),
    ("ars_fir", "agence regionale de sante", "corpus d'import (nom de l'organisme)"),
    ("ars_fir", "fonds d'intervention regional", "nom de l'organisme"),
    ("ondam", "ondam", "fiches de la Creuse (« Financement 100% ONDAM »)"),
    (
        "ondam",
        "objectif national de depenses d'assurance maladie",
        "nom de l'organisme",
    ),
    ("caf", "caf", "fiches de la Creuse (« enveloppe de 57 000€ (CAF) »)"),
    ("caf", "caisse d'allocations familiales", "corpus d'import (nom de l'organisme)"),
    ("caf", "cnaf", "nom de l'organisme"),
    ("autre", "autres", "fiches de la Creuse (« Financements autres »)"),
    ("autre", "autre", "fiches de la Creuse"),
    ("autre", "autres financeurs", "corpus d'import"),
    ("autre", "autres financements", "fiches de la Creuse"),
    ("autre", "autres partenaires", "corpus d'import"),
    ("autre", "region", "nom de l'organisme"),
    ("autre", "conseil regional", "nom de l'organisme"),
    ("autre", "commune", "nom de l'organisme"),
    ("autre", "communes", "nom de l'organisme"),
    ("autre", "mairie", "nom de l'organisme"),
    ("autre", "communaute de communes", "nom de l'organisme"),
    ("autre", "intercommunalite", "nom de l'organisme"),
    ("autre", "msa", "nom de l'organisme (mutualité sociale agricole)"),
    ("autre", "cpam", "nom de l'organisme (caisse primaire d'assurance maladie)"),
    ("autre", "assurance maladie", "nom de l'organisme"),
    ("autre", "fse", "nom de l'organisme (fonds social européen)"),
    ("autre", "union europeenne", "nom de l'organisme"),
    ("autre", "fondation", "nom de l'organisme"),
    ("autre", "mecenat", "nom de l'organisme"),
]
#: Formes de « autre » qui ne nomment pas de financeur : pas de libellé.
_GENERIC_OTHER = {
    "autres",
    "autre",
    "autres financeurs",
    "autres financements",
    "autres partenaires",
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "œ": "oe", "Œ": "oe"})
_KEYS = {form: key for key, form, _ in SYNONYMES}
_PATTERN = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(re.escape(form) for form in sorted(_KEYS, key=len, reverse=True))
    + r")(?![\w'])"
)


def normalize(text: str) -> str:
    """Sans accents, en minuscules, ponctuation (sauf l'apostrophe) réduite à des espaces."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


def find_financeur(text: str) -> tuple[str, str] | None:
    """(financeur, forme trouvée) du premier financeur nommé dans `text`, ou None."""
    match = _PATTERN.search(normalize(text))
    if match is None:
        return None
    return _KEYS[match.group(0)], match.group(0)


def names_other(form: str) -> bool:
    """Vrai si la forme trouvée nomme un financeur « autre » précis (région, commune…)."""
    return _KEYS.get(form) == "autre" and form not in _GENERIC_OTHER


def detect_financeur(text: str) -> str:
    """Financeur d'après le libellé (« Etat », « conseil départemental (CD) », « autres »…) ;
    « autre » quand aucun n'est reconnu."""
    found = find_financeur(text)
    return found[0] if found else "autre"

"""Garde-fou « données personnelles » : repère dans un texte libre ce qui ressemble à
des données sur des personnes (noms, dates de naissance, âges, téléphones, courriels,
adresses, numéros de sécurité sociale). L'outil suit des actions, pas des personnes :
l'auteur voit les passages surlignés et reformule, ou confirme (la confirmation est
tracée).

Les règles visent peu de fausses alertes sur les textes administratifs : les sigles
(PMI, ASE, ODPE…), les lieux et les institutions ne déclenchent rien ; un nom n'est
signalé qu'après une civilité, un lien (« l'enfant », « la mère », « la famille »…),
entre guillemets, ou en capitales après un prénom courant (« Kevin DURAND »). Un
professionnel cité par son rôle (« la chercheuse, Claire Littaye ») n'est pas signalé.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str
    start: int
    end: int
    excerpt: str


LABELS = {
    "nom": "Nom et prénom",
    "date_naissance": "Date de naissance",
    "age_nom": "Âge associé à une personne",
    "telephone": "Numéro de téléphone",
    "email": "Adresse électronique",
    "adresse": "Adresse postale",
    "nir": "Numéro de sécurité sociale",
}

PRENOMS_FILE = Path(__file__).resolve().parent / "data" / "prenoms.txt"


@cache
def prenoms() -> frozenset[str]:
    """Prénoms fréquents (sans accents), lus une fois à la première vérification."""
    lines = PRENOMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


_NAME = r"[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ][a-zàâäéèêëîïôöùûüç'\-]+"
_UPPER_NAME = r"[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ]{2,}(?:-[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ]{2,})?"
_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}|\d{1,2}(?:er)? (?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre) (?:19|20)\d{2}"

PATTERNS = [
    (
        "nom",
        re.compile(
            rf"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Dr|Docteur)\s+(?:{_NAME}\s+)?(?:{_NAME}|{_UPPER_NAME})\b"
        ),
    ),
    (
        "nom",
        re.compile(
            rf"(?i:\b(?:l'enfant|le jeune|la jeune|la mère|le père|la famille|le garçon|la fille|le mineur|la mineure|le bébé))\s+(?:{_NAME}|{_UPPER_NAME})\b"
        ),
    ),
    ("nom", re.compile(rf"[«\"“]\s*{_NAME}\s+(?:{_NAME}|{_UPPER_NAME})\s*[»\"”]")),
    (
        "date_naissance",
        re.compile(
            rf"\b(?:né|née|nés|nées)\s+(?:le\s+)?(?:{_DATE})|\b(?:né|née)\s+en\s+(?:19|20)\d{{2}}\b|\bdate de naissance\b|\bDDN\b",
            re.IGNORECASE,
        ),
    ),
    ("age_nom", re.compile(rf"\b{_NAME},?\s+(?:âgée?\s+de\s+)?\d{{1,2}}\s+ans\b")),
    ("telephone", re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")),
    ("email", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")),
    (
        "adresse",
        re.compile(
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|impasse|allée|allee|place|route|quai|cours|lotissement)\s+[\w'’\-\s]{2,40}",
            re.IGNORECASE,
        ),
    ),
    (
        "nir",
        re.compile(
            r"(?<!\d)[12]\s?\d{2}\s?(?:0[1-9]|1[0-2])\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?!\d)"
        ),
    ),
]

# Prénom courant suivi d'un NOM en capitales (« Kevin DURAND »), usage des écrits sociaux.
_FIRST_LAST = re.compile(rf"\b({_NAME})\s+({_UPPER_NAME})\b")


def _nir_valid(text: str) -> bool:
    digits = re.sub(r"\s", "", text).replace("2A", "19").replace("2B", "18")
    if len(digits) == 13:
        return True
    if len(digits) != 15 or not digits.isdigit():
        return False
    return 97 - int(digits[:13]) % 97 == int(digits[13:])


def detect(text: str) -> list[Finding]:
    """Les passages qui ressemblent à des données personnelles, dans l'ordre du texte."""
    text = text or ""
    findings: list[Finding] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if kind == "nir" and not _nir_valid(match.group(0)):
                continue
            findings.append(
                Finding(kind, LABELS[kind], match.start(), match.end(), match.group(0).strip())
            )
    for match in _FIRST_LAST.finditer(text):
        first = match.group(1).lower()
        first = first.translate(str.maketrans("éèêëàâäïîôöùûüç", "eeeeaaaiioouuuc"))
        if first in prenoms():
            findings.append(
                Finding("nom", LABELS["nom"], match.start(), match.end(), match.group(0))
            )
    findings.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for finding in findings:
        if merged and finding.start < merged[-1].end:
            continue
        merged.append(finding)
    return merged


def highlight(text: str, findings: list[Finding]) -> SafeString:
    """Le texte échappé, chaque passage signalé entouré de <mark>."""
    parts, position = [], 0
    for finding in findings:
        parts.append(escape(text[position : finding.start]))
        parts.append(
            f'<mark title="{escape(finding.label)}">{escape(text[finding.start : finding.end])}</mark>'
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - chaque morceau est échappé ci-dessus

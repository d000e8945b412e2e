"""Lignes « Moyens financiers prévisionnels » : lecture des formulations publiées
et écriture d'une formulation canonique qui se relit à l'identique.

Formulations rencontrées dans les fiches publiées (Creuse 2025-2027) :

    Financement Etat : 14 574 €
    Financement CD : 14 574€ (valorisation)
    Financement CD 7 618 € (6 618 € valorisation + 1 000 € d'achat de matériel)
    Financement conseil départemental (CD) : 22 000 € (intervenantes PMI)
    Financements autres : enveloppe de 57 000€ (CAF) – application d'un prix forfaitaire
    Financement Etat : 40 vacations par an à 200€ soit 8 000€
    Financement 100% ONDAM

Formulation canonique écrite à l'export (une ligne par financement) :

    Financement <Financeur>[ – <précision>] : <montant> €[ en <année>][ (<note>)]

où <Financeur> vaut État, CD, ARS (FIR), ONDAM, CAF ou autre ; un montant absent
s'écrit « montant non précisé » ; la valorisation est signalée dans la note
(« valorisation », « valorisation des salaires », ou « valorisation ; <note> »).
"""

import re
from decimal import Decimal

from .financeurs import detect_financeur, find_financeur, names_other
from .montants import MONTANT_MAX, Montant, find_amounts, leading_amount
from .montants import format_amount as _format_amount

__all__ = [
    "FINANCEUR_LABELS",
    "detect_financeur",
    "format_amount",
    "format_line",
    "parse_body",
    "parse_labelled_line",
    "parse_line",
    "parse_text",
    "split_lines",
]

FINANCEUR_LABELS = {
    "etat": "État",
    "cd": "CD",
    "ars_fir": "ARS (FIR)",
    "ondam": "ONDAM",
    "caf": "CAF",
    "autre": "autre",
}

_LINE_START = re.compile(r"(?i)\bfinancements?\b")
_YEAR = re.compile(r"^\s*en\s+(20\d\d)\b")
_PREFERRED = re.compile(r"(?:soit|=)\s*$")
_DONT = re.compile(r"(?i)^dont\b")
_NO_AMOUNT = "montant non précisé"
_MAX_LABEL_WORDS = 8


def format_amount(value: Decimal | int | float | None) -> str:
    """14574 → « 14 574 € » (espaces ordinaires, pour rester lisible par tous les outils)."""
    return _format_amount(value, missing=_NO_AMOUNT)


def split_lines(text: str) -> list[str]:
    """Découpe un texte de moyens financiers en lignes commençant par « Financement ».

    Un « Financement » entre parenthèses (une note) ne commence pas de ligne.
    """
    text = " ".join((text or "").split())
    starts = []
    depth, scanned = 0, 0
    for match in _LINE_START.finditer(text):
        chunk = text[scanned : match.start()]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        scanned = match.start()
        if depth == 0:
            starts.append(match.start())
    if not starts:
        return [text] if text else []
    if starts[0] != 0 and text[: starts[0]].strip():
        starts.insert(0, 0)
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    return [p for p in pieces if p]


def _outside_parentheses(text: str) -> tuple[str, str]:
    """Sépare le texte hors parenthèses et le contenu de la première à la dernière parenthèse."""
    start = text.find("(")
    end = text.rfind(")")
    if start == -1 or end < start:
        return text, ""
    return text[:start] + text[end + 1 :], text[start + 1 : end].strip()


def _strip_amount(outside: str, amount: Montant | None) -> str:
    """Le texte hors parenthèses, sans le montant retenu, l'année qui le suit ni la mention
    « montant non précisé »."""
    rest = outside
    if amount is not None:
        after = _YEAR.sub("", outside[amount.end :])
        rest = outside[: amount.start] + after
    return " ".join(rest.replace(_NO_AMOUNT, "").split()).strip(" –-;,")


def _choose(outside: str, scale: Decimal) -> Montant | None:
    """Le montant de la ligne : le premier hors parenthèses, ou celui qui suit « soit » ou
    « = » ; à défaut un nombre sans unité qui ouvre le texte (« 12500 »), multiplié par
    `scale` (tableau « Montant (k€) »)."""
    amounts = find_amounts(outside)
    if amounts:
        preferred = [
            m for m in amounts if _PREFERRED.search(outside[max(0, m.start - 8) : m.start])
        ]
        return preferred[-1] if preferred else amounts[0]
    bare = leading_amount(outside)
    if bare is None:
        return None
    return Montant(bare.start, bare.end, bare.value * scale, "")


def parse_body(
    financeur: str, body: str, *, libelle: str = "", line: str = "", scale: Decimal = Decimal(1)
) -> dict:
    """Ce qui suit le financeur (« 14 574 € (valorisation) », « 20 k€ dont 5 k€ de
    valorisation », « 12500 ») : {"financeur", "libelle", "montant", "annee",
    "valorisation", "note"}. Règles : voir `parse_line` ; un montant au-delà de ce que la
    fiche garde n'est pas repris (`montants.MONTANT_MAX`)."""
    body = " ".join((body or "").split())
    outside, inside = _outside_parentheses(body)
    chosen = _choose(outside, scale)
    montant = None if chosen is None or abs(chosen.value) > MONTANT_MAX else chosen.value
    year = _YEAR.match(outside[chosen.end :]) if chosen else None
    annee = int(year.group(1)) if year else None

    remainder = _strip_amount(outside, chosen)
    if not body:
        note = line  # « Financement 100% ONDAM » : la ligne entière est l'information
    elif remainder and _DONT.match(remainder) and not inside:
        note = remainder  # « 20 000 € dont 5 000 € de valorisation »
    elif remainder:
        note = body  # le texte dit plus que le montant : on le garde entier
    else:
        note = inside
    valorisation = "valoris" in body.lower()
    if note.lower().startswith("valorisation ; "):
        note = note[len("valorisation ; ") :]
    return {
        "financeur": financeur,
        "libelle": libelle.strip(),
        "montant": montant,
        "annee": annee,
        "valorisation": valorisation,
        "note": note.strip(),
    }


def parse_line(line: str) -> dict | None:
    """Lit une ligne « Financement … » ; None si elle n'annonce aucun financement.

    Renvoie {"financeur", "libelle", "montant", "annee", "valorisation", "note"}.
    Règles : le montant est le premier hors parenthèses (ou celui qui suit « soit » ou
    « = ») ; la note est le contenu des parenthèses, le « dont … » qui suit le montant, ou
    tout le texte quand il dit plus que le montant ; la valorisation est signalée dès que
    le texte la mentionne.
    """
    line = " ".join((line or "").split())
    match = _LINE_START.match(line)
    if not match:
        return None
    rest = line[match.end() :].strip()
    if ":" in rest:
        label, body = rest.split(":", 1)
    else:
        # « Financement CD 7 618 € (…) » ou « Financement 100% ONDAM » : pas de deux-points.
        amounts = find_amounts(rest)
        split_at = amounts[0].start if amounts else len(rest)
        label, body = rest[:split_at], rest[split_at:]
    label, body = label.strip(), body.strip()
    financeur_label, _, libelle = label.partition(" – ")
    financeur = detect_financeur(financeur_label)
    if financeur == "autre":
        if not body:
            return None  # « Financements autres : » laissé vide
        # « Financements autres : enveloppe de 57 000€ (CAF) » : le financeur est dans le texte.
        financeur = detect_financeur(body)
    return parse_body(financeur, body, libelle=libelle, line=line)


def parse_labelled_line(line: str, *, scale: Decimal = Decimal(1)) -> dict | None:
    """Lit une ligne « <financeur> : <montant> » sans le mot « Financement » (élément de
    liste, rangée de tableau) : « Etat : 12 500 € », « CAF 45 k€ », « Région Occitanie :
    5 000 € ». None si le libellé ne nomme aucun financeur connu (`financeurs.SYNONYMES`)
    ou si rien ne ressemble à un montant."""
    line = " ".join((line or "").split())
    label, sep, body = line.partition(":")
    if not sep:
        amounts = find_amounts(line)
        if not amounts:
            return None
        label, body = line[: amounts[0].start], line[amounts[0].start :]
    label, body = label.strip(" –-"), body.strip()
    found = find_financeur(label)
    if found is None or len(label.split()) > _MAX_LABEL_WORDS:
        return None
    if not find_amounts(body) and leading_amount(body) is None:
        return None
    financeur, form = found
    libelle = label if names_other(form) else ""
    if financeur == "autre" and not libelle:
        financeur = detect_financeur(body)
    return parse_body(financeur, body, libelle=libelle, line=line, scale=scale)


def parse_text(text: str) -> list[dict]:
    """Toutes les lignes de financement d'une cellule « Moyens financiers prévisionnels »."""
    return [row for row in (parse_line(line) for line in split_lines(text)) if row]


def format_line(
    *,
    financeur: str,
    montant=None,
    valorisation: bool = False,
    note: str = "",
    libelle: str = "",
    annee: int | None = None,
) -> str:
    """Formulation canonique d'un financement, relue à l'identique par `parse_line`."""
    label = FINANCEUR_LABELS.get(financeur, "autre")
    if libelle:
        label = f"{label} – {libelle}"
    text = f"Financement {label} : {format_amount(montant)}"
    if annee:
        text += f" en {annee}"
    note = (note or "").strip()
    if valorisation and "valoris" not in note.lower():
        note = f"valorisation ; {note}" if note else "valorisation"
    if note:
        text += f" ({note})"
    return text

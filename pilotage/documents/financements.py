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
from decimal import Decimal, InvalidOperation

FINANCEUR_LABELS = {
    "etat": "État",
    "cd": "CD",
    "ars_fir": "ARS (FIR)",
    "ondam": "ONDAM",
    "caf": "CAF",
    "autre": "autre",
}

_AMOUNT = re.compile(
    # Signe moins collé au nombre (arbitrage ou transfert qui retire un montant), mais pas
    # le tiret d'une plage comme « 2025-2027 ».
    r"(?:(?<![\w-])(?P<sign>[-\u2212]))?"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(?P<dec>\d{1,2}))?\s*(?:€|euros?\b)",
    re.IGNORECASE,
)
_LINE_START = re.compile(r"(?i)\bfinancements?\b")
_YEAR = re.compile(r"^\s*en\s+(20\d\d)\b")
_NO_AMOUNT = "montant non précisé"


def _to_decimal(match: re.Match) -> Decimal | None:
    digits = re.sub(r"[ \u00a0\u202f.]", "", match.group("int"))
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if match.group("dec"):
        value += Decimal(match.group("dec")) / (10 ** len(match.group("dec")))
    return -value if match.group("sign") else value


def format_amount(value: Decimal | int | float | None) -> str:
    """14574 → « 14 574 € » (espaces ordinaires, pour rester lisible par tous les outils)."""
    if value is None:
        return _NO_AMOUNT
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        text = f"{amount:,.0f}".replace(",", " ")
    else:
        text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def detect_financeur(text: str) -> str:
    """Financeur d'après le libellé (« Etat », « conseil départemental (CD) », « autres »…)."""
    lowered = text.lower()
    if re.search(r"\b(etat|état)\b", lowered):
        return "etat"
    if re.search(r"\bcd\b|conseil d[ée]partemental|\bd[ée]partement\b", lowered):
        return "cd"
    if "ondam" in lowered:
        return "ondam"
    if re.search(r"\bfir\b|\bars\b", lowered):
        return "ars_fir"
    if re.search(r"\bcaf\b", lowered):
        return "caf"
    return "autre"


def split_lines(text: str) -> list[str]:
    """Découpe un texte de moyens financiers en lignes commençant par « Financement ».

    Un « Financement » entre parenthèses (une note) ne commence pas de ligne.
    """
    text = " ".join((text or "").split())
    starts = []
    for match in _LINE_START.finditer(text):
        before = text[: match.start()]
        if before.count("(") <= before.count(")"):
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


def _strip_amount(outside: str, amount: re.Match | None) -> str:
    """Le texte hors parenthèses, sans le montant retenu, l'année qui le suit ni la mention
    « montant non précisé »."""
    rest = outside
    if amount is not None:
        after = _YEAR.sub("", outside[amount.end() :])
        rest = outside[: amount.start()] + after
    return " ".join(rest.replace(_NO_AMOUNT, "").split()).strip(" –-;,")


def parse_line(line: str) -> dict | None:
    """Lit une ligne de financement ; None si elle n'annonce aucun financement.

    Renvoie {"financeur", "libelle", "montant", "annee", "valorisation", "note"}.
    Règles : le montant est le premier hors parenthèses (ou celui qui suit « soit » ou
    « = ») ; la note est le contenu des parenthèses, ou tout le texte quand il dit plus
    que le montant ; la valorisation est signalée dès que le texte la mentionne.
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
        first_amount = _AMOUNT.search(rest)
        split_at = first_amount.start() if first_amount else len(rest)
        label, body = rest[:split_at], rest[split_at:]
    label, body = label.strip(), body.strip()
    financeur_label, _, libelle = label.partition(" – ")
    financeur = detect_financeur(financeur_label)
    if financeur == "autre":
        if not body:
            return None  # « Financements autres : » laissé vide
        # « Financements autres : enveloppe de 57 000€ (CAF) » : le financeur est dans le texte.
        financeur = detect_financeur(body)

    outside, inside = _outside_parentheses(body)
    amounts = list(_AMOUNT.finditer(outside))
    chosen = None
    if amounts:
        preferred = [m for m in amounts if re.search(r"(soit|=)\s*$", outside[: m.start()])]
        chosen = preferred[-1] if preferred else amounts[0]
    montant = _to_decimal(chosen) if chosen else None
    year = _YEAR.match(outside[chosen.end() :]) if chosen else None
    annee = int(year.group(1)) if year else None

    remainder = _strip_amount(outside, chosen)
    if not body:
        note = line  # « Financement 100% ONDAM » : la ligne entière est l'information
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

"""Montants écrits à la française dans les fiches actions : lecture de toutes les notations
rencontrées, en temps linéaire même sur un texte hostile.

Notations lues (voir tests/documents/test_financements.py) :

    12 500 €   12 500€   12\u202f500\u00a0€   12.500 euros   12500 EUR   12 500,50 €
    12,5 k€   12 K€   12,5 keuros   1,2 M€   1,2 million d'euros   3 millions €
    12500 (sans unité : seulement là où un montant est attendu, voir `leading_amount`)

Règles : l'espace (ordinaire, insécable, fine insécable, fine) et le point séparent les
milliers quand ils sont suivis d'exactement trois chiffres ; la virgule est décimale
(« 12,500 € » suivi de l'euro seul, trois chiffres, est un séparateur de milliers copié
d'un tableur anglais : 12 500) ; un point suivi d'un ou deux chiffres est décimal
(« 1.5 M€ ») ; un signe moins collé au nombre le rend négatif (« −4 000 € »), pas le
tiret d'une plage (« 2025-2027 »). Un montant est arrondi au centime.

Les chiffres sont regroupés par un seul passage sur le texte (`re.finditer(r"\\d+")`,
puis des comparaisons de positions) : aucune expression à retour arrière sur le texte
entier, donc pas de temps quadratique sur une longue suite de chiffres ou d'espaces.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Plus grand montant gardé (le champ `Financement.montant` a 12 chiffres dont 2 décimales).
MONTANT_MAX = Decimal("9999999999.99")
_GROUP_SEPARATORS = " .\u00a0\u202f\u2009"
_MAX_DIGITS = 15  # au-delà, un nombre n'est pas un montant (et n'est pas converti)
_CENT = Decimal("0.01")

# Unité collée ou séparée par une espace, ancrée juste après le nombre (`match`).
_UNIT = re.compile(
    r"[ \u00a0\u202f\u2009]?(?:"
    r"(?P<k>[kK][ \u00a0]?(?:€|(?i:euros?)\b|EUR\b)|(?i:keuros?)\b"
    r"|(?i:milliers?\s+d['’]\s?euros)\b)"
    r"|(?P<m>M[ \u00a0]?(?:€|(?i:euros?)\b|EUR\b)|(?i:millions?)\s+(?:d['’]\s?(?i:euros)\b|€))"
    r"|(?P<e>€|(?i:euros?)\b|EUR\b)"
    r")"
)
_PERCENT = re.compile(r"\s?%")
_SCALE = {"k": Decimal(1000), "m": Decimal(1_000_000), "e": Decimal(1)}


@dataclass(frozen=True)
class Montant:
    """Un montant lu : `start`/`end` bornent le texte lu (signe, nombre et unité)."""

    start: int
    end: int
    value: Decimal
    unit: str  # "€", "k€", "M€", ou "" sans unité

    @property
    def too_large(self) -> bool:
        return abs(self.value) > MONTANT_MAX


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    digits: str  # partie entière, sans séparateurs
    decimals: str  # partie décimale écrite après une virgule ou un point
    comma: bool  # décimales écrites après une virgule


def _numbers(text: str) -> list[_Number]:
    """Nombres du texte, milliers regroupés, de gauche à droite, en un seul passage."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"\d+", text)]
    result: list[_Number] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        digits = [text[start:end]]
        index += 1
        if end - start <= 3:
            # « 12 500 000 » : séparateur unique suivi d'exactement trois chiffres
            while index < len(runs):
                nxt_start, nxt_end = runs[index]
                if not (
                    nxt_start == end + 1
                    and text[end] in _GROUP_SEPARATORS
                    and nxt_end - nxt_start == 3
                ):
                    break
                digits.append(text[nxt_start:nxt_end])
                end = nxt_end
                index += 1
        decimals, comma = "", False
        if index < len(runs) and runs[index][0] == end + 1 and text[end] in ",.":
            nxt_start, nxt_end = runs[index]
            # un point n'est décimal que suivi d'un ou deux chiffres (sinon, des milliers
            # mal groupés : « 2025.12.01 » n'est pas un montant)
            if text[end] == "," or nxt_end - nxt_start <= 2:
                decimals, comma = text[nxt_start:nxt_end], text[end] == ","
                end = nxt_end
                index += 1
        result.append(_Number(start, end, "".join(digits), decimals, comma))
    return result


def _sign(text: str, start: int) -> int:
    """Position du signe moins collé au nombre, ou `start` s'il n'y en a pas."""
    if start and text[start - 1] in "-\u2212":
        before = text[start - 2] if start >= 2 else ""
        if not before or not (before.isalnum() or before in "-\u2212"):
            return start - 1
    return start


def _value(number: _Number, unit: str) -> Decimal | None:
    digits, decimals = number.digits, number.decimals
    if unit == "e" and number.comma and len(decimals) == 3 and len(digits) <= 3:
        digits, decimals = digits + decimals, ""  # « 12,500 € » : milliers à l'anglaise
    if len(digits.lstrip("0")) > _MAX_DIGITS or len(decimals) > _MAX_DIGITS:
        return None
    value = Decimal(f"{digits}.{decimals}" if decimals else digits) * _SCALE[unit]
    value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _unit_name(kind: str) -> str:
    return {"k": "k€", "m": "M€", "e": "€", "": ""}[kind]


def find_amounts(text: str, *, bare: bool = False) -> list[Montant]:
    """Montants du texte, dans l'ordre ; ceux sans unité seulement si `bare` (et jamais
    un pourcentage « 100% »)."""
    text = text or ""
    found: list[Montant] = []
    for number in _numbers(text):
        unit_match = _UNIT.match(text, number.end)
        kind = ""
        end = number.end
        if unit_match:
            kind = next(k for k in ("k", "m", "e") if unit_match.group(k))
            end = unit_match.end()
        elif not bare or _PERCENT.match(text, number.end):
            continue
        value = _value(number, kind or "e")
        if value is None:
            continue
        start = _sign(text, number.start)
        if start != number.start:
            value = -value
        found.append(Montant(start, end, value, _unit_name(kind)))
    return found


_BARE_FOLLOW = re.compile(
    r"\s?(?:$|[(;,]|\s?[–—-]\s|dont\b|HT\b|TTC\b|par\san\b|/\s?an\b)", re.IGNORECASE
)


def leading_amount(text: str) -> Montant | None:
    """Le montant qui ouvre `text` (après « : » ou des espaces), avec ou sans unité :
    « 12500 », « 12 500 € (valorisation) », « 20000 dont 5000 de valorisation ». Un nombre
    sans unité n'est un montant que s'il est seul ou suivi d'une parenthèse, d'un « dont »…
    (« 40 vacations » n'en est pas un)."""
    text = text or ""
    stripped = len(text) - len(text.lstrip(" :\u00a0\u202f\u2009"))
    amounts = find_amounts(text, bare=True)
    if not amounts or amounts[0].start != stripped:
        return None
    first = amounts[0]
    if not first.unit and not _BARE_FOLLOW.match(text, first.end):
        return None
    return first


def format_amount(value: Decimal | int | float | None, *, missing: str) -> str:
    """14574 → « 14 574 € » (espaces ordinaires, pour rester lisible par tous les outils)."""
    if value is None:
        return missing
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        text = f"{amount:,.0f}".replace(",", " ")
    else:
        text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"

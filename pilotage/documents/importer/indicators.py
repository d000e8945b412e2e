"""Indicateurs : découpage d'une rubrique unique en quantitatifs et qualitatifs, préfixe
« Indicateur national : » normalisé, valeurs chiffrées proposées et taux vérifiés.

« Nombre de femmes ayant bénéficié d'un EPP en 2024 : 51 pour 747 déclarations de
grossesse soit 6,8% » propose {annee: 2024, numerateur: 51, denominateur: 747,
taux_indique: 6.8, valeur: 51} ; un taux écrit qui s'écarte de plus de 0,5 point du
calcul est signalé. Une cible écrite dans l'indicateur (« cible : 20 en 2027 »,
« Cible 2027 : 20 », « valeur cible : 20 ») est lue par `read_cible` ; ce n'est pas une
valeur constatée, elle n'est jamais proposée comme valeur.
"""

import re
from decimal import Decimal

from .labels import normalize

NATIONAL_RE = re.compile(r"^\s*indicateurs?\s+nationa(?:l|ux)\s*[:\-–—]?\s*", re.IGNORECASE)
NATIONAL_PREFIX = "Indicateur national : "
RATE_TOLERANCE = 0.5  # point de pourcentage

_QUANTI_START = re.compile(
    r"^(nombre|nb|taux|part|parts|pourcentage|proportion|ratio|moyenne|montant|delai|"
    r"duree moyenne|evolution du nombre|volume|effectif|total)\b"
)
_QUANTI_ANYWHERE = re.compile(r"\b(nombre d|nombre de|nb de|nb d|taux d|taux de)\b|%")
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_RATIO = re.compile(
    rf"(?P<num>{_NUMBER})\s+(?:pour|sur)\s+(?P<den>{_NUMBER})\b(?P<between>[^%;]*?)"
    rf"(?:soit\s+|=\s*)?(?P<rate>\d+(?:[,.]\d+)?)\s*%"
)
_YEAR_AFTER_VALUE = re.compile(r"^\s*(?:[^\W\d]+\s+){0,3}?en\s+((?:19|20)\d\d)\b")
_VALUE_AFTER_COLON = re.compile(rf":\s*(?P<value>(?:{_NUMBER})(?:,\d+)?)(?=\s|[.,;)]|$)")
#: Une cible chiffrée : « cible : 20 en 2027 », « Cible 2027 : 20 », « valeur cible : 20 »,
#: « cible en 2027 : 20 », « cible = 15 % ». Sans retour arrière imbriqué.
_CIBLE = re.compile(
    r"\b(?:valeur\s+)?cible(?:\s+(?:en\s+)?(?:19|20)\d\d)?\s*[:=]\s*"
    rf"(?P<value>(?:{_NUMBER})(?:,\d+)?)(?:\s*%)?"
    r"(?:\s+(?:en|pour|d'ici|à)\s+(?:19|20)\d\d\b)?",
    re.IGNORECASE,
)
#: Plafond d'une cible (`Indicateur.cible` : 14 chiffres dont 2 décimales).
_CIBLE_MAX = Decimal(10**12)


def normalize_national(text: str) -> str:
    """« INDICATEUR NATIONAL: X » ou « Indicateurs nationaux - X » → « Indicateur national : X »."""
    match = NATIONAL_RE.match(text)
    if not match or not text[match.end() :].strip():
        return text
    return NATIONAL_PREFIX + text[match.end() :].strip()


def is_quantitatif(text: str) -> bool:
    """Un comptage, un taux, une part, un pourcentage ou un chiffre (hors années) ?"""
    norm = normalize(NATIONAL_RE.sub("", text))
    if _QUANTI_START.match(norm) or _QUANTI_ANYWHERE.search(norm):
        return True
    return bool(re.search(r"\d", _YEAR.sub("", norm)))


def split_indicateurs(items: list[str]) -> tuple[list[str], list[str]]:
    """Rubrique unique « quantitatifs et qualitatifs » : (quantitatifs, qualitatifs)."""
    quanti, quali = [], []
    for item in items:
        (quanti if is_quantitatif(item) else quali).append(item)
    return quanti, quali


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _number(text: str) -> int | float:
    whole, _, decimals = text.partition(",")
    return float(f"{_int(whole)}.{decimals}") if decimals else _int(whole)


def _year(text: str) -> int | None:
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def read_cible(text: str) -> Decimal | None:
    """La cible écrite dans le texte d'un indicateur (« cible : 20 en 2027 » → 20), ou None."""
    match = _CIBLE.search(text)
    if match is None:
        return None
    whole, _, decimals = match.group("value").partition(",")
    cible = Decimal(f"{_int(whole)}.{decimals[:2] or 0}")
    return cible if cible < _CIBLE_MAX else None


def attach_cibles(lines: list[str]) -> list[str]:
    """Une ligne qui ne dit qu'une cible (« Cible 2027 : 40 », liste coupée aux virgules ou
    puce à part) est rattachée à l'indicateur qui la précède : « …signés, Cible 2027 : 40 »."""
    result: list[str] = []
    for line in lines:
        match = _CIBLE.search(line)
        alone = match is not None and not line[: match.start()].strip(" -–—•(")
        if alone and result:
            result[-1] = f"{result[-1].rstrip(' .,;')}, {line.strip()}"
        else:
            result.append(line)
    return result


def propose_values(indicateur: str) -> list[dict]:
    """Valeurs lisibles dans le texte d'un indicateur (rapport chiffré, ou valeur après « : ») ;
    une cible n'en est pas une."""
    values = []
    texte = _CIBLE.sub("", indicateur)
    for match in _RATIO.finditer(texte):
        numerateur, denominateur = _int(match.group("num")), _int(match.group("den"))
        if _YEAR.fullmatch(match.group("num")) or denominateur == 0:
            continue
        values.append(
            {
                "indicateur": indicateur,
                "annee": _year(texte[: match.start()]) or _year(texte),
                "numerateur": numerateur,
                "denominateur": denominateur,
                "taux_indique": float(match.group("rate").replace(",", ".")),
                "valeur": numerateur,
            }
        )
    if values:
        return values
    for match in _VALUE_AFTER_COLON.finditer(texte):
        raw = match.group("value")
        if _YEAR.fullmatch(raw):
            continue
        after = _YEAR_AFTER_VALUE.match(texte[match.end() :])
        values.append(
            {
                "indicateur": indicateur,
                "annee": int(after.group(1))
                if after
                else _year(texte[: match.start()]) or _year(texte),
                "numerateur": None,
                "denominateur": None,
                "taux_indique": None,
                "valeur": _number(raw),
            }
        )
        break
    return values


def rate_mismatch(value: dict) -> str | None:
    """Message si le taux écrit s'écarte de plus de 0,5 point du rapport numérateur / dénominateur."""
    if value.get("taux_indique") is None or not value.get("denominateur"):
        return None
    computed = 100 * value["numerateur"] / value["denominateur"]
    if abs(computed - value["taux_indique"]) <= RATE_TOLERANCE:
        return None
    stated = f"{value['taux_indique']:g}".replace(".", ",")
    computed_text = f"{computed:.1f}".replace(".", ",")
    return (
        f"Taux à vérifier dans l'indicateur « {value['indicateur']} » : "
        f"{value['numerateur']} / {value['denominateur']} = {computed_text} %, "
        f"et non {stated} %."
    )

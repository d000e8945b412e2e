"""Valeurs d'indicateurs lues dans un tableur (.xlsx, .ods) pour les fiches d'un contrat
(issue 14, point 3) : une ligne par indicateur et par période (« Fiche », « Indicateur »,
« Année », « Valeur »… — les colonnes de l'export des valeurs, relu tel quel), ou une
ligne par indicateur et une colonne par année (« 2024 », « 2025 S1 »).

Lecture pure : cellules → `LigneLue` (texte borné, nombres et période interprétés, ou
une erreur en clair). L'appariement aux fiches et aux indicateurs est dans
`appariement.py`. Mêmes règles de sûreté que l'import des fiches (`reader_tableur`).
"""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from ..importer import errors
from ..importer.errors import ImportErreur
from ..importer.labels import normalize
from ..importer.reader_tableur import HEADER_SEARCH_ROWS, check_tableur, read_ods, read_xlsx

#: Les colonnes reconnues : les en-têtes de l'export des valeurs (`suivi.spreadsheets`)
#: et les mots que les départements emploient dans leurs tableaux de bord.
COLONNES: dict[str, tuple[str, ...]] = {
    "fiche": (
        "fiche",
        "fiche n°",
        "fiche action n°",
        "fa n°",
        "n° fa",
        "n° fiche",
        "n° de fiche",
        "numéro de fiche",
        "numéro de la fiche",
        "fiche action",
        "n° fiche action",
        "numéro",
        "n°",
        "fa",
    ),
    "indicateur": (
        "indicateur",
        "indicateurs",
        "libellé de l'indicateur",
        "intitulé de l'indicateur",
        "indicateur de suivi",
        "libellé",
    ),
    "annee": ("année", "exercice", "année de mesure", "année de la valeur"),
    "semestre": ("semestre",),
    "valeur": ("valeur", "valeur réalisée", "réalisé", "résultat", "valeur mesurée"),
    "numerateur": ("numérateur",),
    "denominateur": ("dénominateur",),
    "source": ("source", "source des données", "origine des données"),
    "commentaire": ("commentaire", "commentaires", "observations", "remarques"),
}
_HEADER_KEYS = {normalize(label): key for key, labels in COLONNES.items() for label in labels}
#: « 2024 », « Année 2024 », « 2025 S1 », « 2025 - S2 » : une colonne par période.
_PERIOD_HEADER = re.compile(r"(?:annee )?(\d{4})(?: s([12]))?")

MAX_FICHE = 20
MAX_INDICATEUR = 1000
MAX_SOURCE = 200
MAX_COMMENTAIRE = 2000
MAX_NUMBER_TEXT = 40
MAX_VALUE = Decimal("999999999999.99")

NO_HEADER = (
    "Aucune ligne d'en-tête reconnue : le tableau doit avoir une colonne « Fiche », une "
    "colonne « Indicateur » et, soit des colonnes « Année » et « Valeur », soit une colonne "
    "par année (« 2024 », « 2025 »…). Téléchargez le tableur modèle pour partir du bon format."
)
EMPTY = "Ce tableur ne contient aucune valeur à importer sous sa ligne d'en-tête."

_DECIMAL = re.compile(r"-?\d+(?:[.,]\d+)?")
_DOTTED_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3}){2,}")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


@dataclass
class LigneLue:
    """Une valeur lue : la ligne du tableur, ce qui y est écrit, ce qui en est compris."""

    ligne: int
    fiche: str
    indicateur: str
    annee: int | None = None
    semestre: int | None = None
    valeur: Decimal | None = None
    numerateur: Decimal | None = None
    denominateur: Decimal | None = None
    source: str = ""
    commentaire: str = ""
    texte_valeur: str = ""
    erreur: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("valeur", "numerateur", "denominateur"):
            data[key] = None if data[key] is None else str(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "LigneLue":
        values = {k: data.get(k) for k in cls.__dataclass_fields__}
        for key in ("valeur", "numerateur", "denominateur"):
            values[key] = None if values[key] is None else Decimal(values[key])
        return cls(**values)


def parse_number(text: str) -> Decimal | None:
    """« 1 234,5 », « 93 % », « 1.234.567 », « 12.5 » → Decimal ; « » → None ;
    ValueError si ce n'est pas un nombre. Sans retour arrière : des remplacements, puis
    une expression sans quantificateurs imbriqués sur un texte borné."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueError(text)
    compact = text.translate(_SPACES).removesuffix("%").removesuffix("€")
    if _DOTTED_THOUSANDS.fullmatch(compact):
        compact = compact.replace(".", "")
    if not _DECIMAL.fullmatch(compact):
        raise ValueError(text)
    try:
        value = Decimal(compact.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if abs(value) > MAX_VALUE:
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def _ratio(text: str) -> tuple[str, str] | None:
    """« 787 / 844 », « 787 sur 844 » → (numérateur, dénominateur) en texte."""
    lowered = text.lower()
    for separator in ("/", " sur "):
        if separator in lowered:
            left, _, right = lowered.partition(separator)
            return left, right
    return None


def fill_value(ligne: LigneLue, valeur: str, numerateur: str = "", denominateur: str = ""):
    """Interprète les cellules de la valeur ; une erreur en clair si elles sont illisibles."""
    ligne.texte_valeur = valeur or (f"{numerateur} / {denominateur}" if numerateur else "")
    ratio = _ratio(valeur) if valeur else None
    if ratio:
        numerateur, denominateur = ratio
        valeur = ""
    try:
        ligne.valeur = parse_number(valeur)
        ligne.numerateur = parse_number(numerateur)
        ligne.denominateur = parse_number(denominateur)
    except ValueError as exc:
        ligne.erreur = f"Valeur illisible : « {str(exc)[:MAX_NUMBER_TEXT]} » n'est pas un nombre."
        return
    if (ligne.numerateur is None) != (ligne.denominateur is None):
        ligne.erreur = "Un taux demande à la fois un numérateur et un dénominateur."
    elif ligne.denominateur is not None and ligne.denominateur <= 0:
        ligne.erreur = "Le dénominateur doit être supérieur à zéro."


def _header(rows: list[list[str]]) -> tuple[int, dict[int, str], dict[int, tuple[int, int]]]:
    """La ligne d'en-tête, ses colonnes nommées et ses colonnes de période."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys, periods = {}, {}
        for col, text in enumerate(row):
            norm = normalize(text)
            if norm in _HEADER_KEYS and _HEADER_KEYS[norm] not in keys.values():
                keys[col] = _HEADER_KEYS[norm]
            elif match := _PERIOD_HEADER.fullmatch(norm):
                periods[col] = (int(match.group(1)), int(match.group(2) or 0))
        named = set(keys.values())
        if {"fiche", "indicateur"} <= named and (
            "valeur" in named or periods or "numerateur" in named
        ):
            return index, keys, periods
    raise ImportErreur(NO_HEADER)


def _cell(row: list[str], col: int | None, limit: int) -> str:
    if col is None or col >= len(row):
        return ""
    return " ".join(row[col].split())[:limit]


def _year(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{4})(?:\.0)?\s*", text or "")
    return int(match.group(1)) if match else None


def _semestre(text: str) -> int | None:
    norm = normalize(text)
    return {"1": 1, "2": 2, "s1": 1, "s2": 2, "1er semestre": 1, "2e semestre": 2}.get(norm)


def lignes_from_rows(rows: list[list[str]]) -> list[LigneLue]:
    """Les valeurs écrites sous l'en-tête ; une ligne sans fiche ni indicateur est ignorée."""
    start, keys, periods = _header(rows)
    col = {key: c for c, key in keys.items()}
    lignes = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        fiche = _cell(row, col.get("fiche"), MAX_FICHE)
        indicateur = _cell(row, col.get("indicateur"), MAX_INDICATEUR)
        if not fiche and not indicateur:
            continue
        common = {
            "ligne": number,
            "fiche": fiche,
            "indicateur": indicateur,
            "source": _cell(row, col.get("source"), MAX_SOURCE),
            "commentaire": _cell(row, col.get("commentaire"), MAX_COMMENTAIRE),
        }
        if periods:
            for period_col, (annee, semestre) in periods.items():
                if text := _cell(row, period_col, MAX_NUMBER_TEXT + 1):
                    ligne = LigneLue(**common, annee=annee, semestre=semestre or None)
                    fill_value(ligne, text)
                    lignes.append(ligne)
            continue
        cells = [
            _cell(row, col.get(key), MAX_NUMBER_TEXT + 1)
            for key in ("valeur", "numerateur", "denominateur")
        ]
        if not any(cells):  # ligne du modèle laissée vide : rien à importer, rien à signaler
            continue
        ligne = LigneLue(**common)
        annee_text = _cell(row, col.get("annee"), 20)
        ligne.annee = _year(annee_text)
        ligne.semestre = _semestre(_cell(row, col.get("semestre"), 20))
        fill_value(ligne, *cells)
        if not ligne.erreur and ligne.annee is None:
            ligne.erreur = f"Année illisible : « {annee_text or 'vide'} »."
        lignes.append(ligne)
    if not lignes:
        raise ImportErreur(EMPTY)
    return lignes


def lire(data: bytes, *, filename: str) -> list[LigneLue]:
    """Les valeurs d'un tableur déposé ; `ImportErreur` (et rien d'autre) s'il est refusé."""
    kind = check_tableur(data, filename=filename)
    rows = read_xlsx(data) if kind == "xlsx" else read_ods(data)
    try:
        return lignes_from_rows(rows)
    except ImportErreur:
        raise
    except Exception as exc:  # dernier recours : un tableur inattendu ne fait pas de 500
        raise ImportErreur(errors.UNREADABLE) from exc

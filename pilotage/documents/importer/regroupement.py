"""Indicateurs chiffrés par année : un indicateur, des valeurs datées.

Les fiches de la Creuse écrivent l'historique dans les lignes d'indicateurs :
« Nombre d'IP entrantes : 2023 : 424 » puis « Nombre d'IP entrantes en 2024 : 598 ».
`group_lines` reconnaît les lignes d'une même rubrique qui disent le même indicateur
(même libellé une fois l'année et le chiffre ôtés) pour des années différentes, chacune
avec son chiffre, et en fait un seul indicateur (`Regroupement`) dont les chiffres sont
des valeurs datées ; la ligne d'origine reste lisible dans chaque valeur (`texte`).

Une ligne qui dit une cible (« cible : 20 en 2027 ») n'est pas une valeur : elle reste
une ligne à part. Une ligne sans année ou sans chiffre n'est jamais regroupée.
Expressions sans retour arrière imbriqué : linéaires sur un texte hostile.
"""

import re
from dataclasses import dataclass

from .indicators import _VALUE_AFTER_COLON, _YEAR, NATIONAL_RE, propose_values
from .labels import normalize

#: « en 2024 », « : 2023 », « 2023 : », « En 2023 : » dans un libellé.
_YEAR_PHRASE = re.compile(r"\s*[:,]?\s*\b(?:en\s+)?(?:19|20)\d\d\b(?:\s*:)?", re.IGNORECASE)
#: Une ligne plus longue qu'un libellé d'indicateur n'est pas lue (et sera refusée).
MAX_LINE = 1000
#: Une cible, une prévision ou un objectif chiffré n'est pas une valeur constatée.
_TARGET = re.compile(
    r"\b(?:cibles?|objectifs?|attendus?|vis[ée]e?s?|pr[ée]vus?|pr[ée]visionnel)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Regroupement:
    """Lignes d'un même indicateur réunies : libellé commun, lignes d'origine, valeurs."""

    libelle: str
    lignes: tuple[str, ...]
    #: Rang de chaque ligne dans la rubrique lue (pour défaire le regroupement sur place).
    positions: tuple[int, ...]
    #: {indicateur, annee, valeur, texte, numerateur, denominateur, taux_indique}
    valeurs: tuple[dict, ...]

    def to_json(self) -> list[dict]:
        """Valeurs publiées par `import_fiches --format json` (clé `valeurs_indicateurs`)."""
        return [
            {
                "indicateur": v["indicateur"],
                "annee": v["annee"],
                "valeur": v["valeur"],
                "texte": v["texte"],
            }
            for v in self.valeurs
        ]


def _base_label(line: str) -> str:
    """Le libellé sans l'année ni le chiffre : « Nombre d'IP entrantes »."""
    cut = len(line)
    for match in _VALUE_AFTER_COLON.finditer(line):
        if not _YEAR.fullmatch(match.group("value")):  # « : 2023 : 424 » : l'année d'abord
            cut = match.start()
            break
    label = _YEAR_PHRASE.sub("", line[:cut]).strip(" :.,;–-")
    return label[:1].upper() + label[1:]


def _candidate(line: str) -> tuple[str, dict] | None:
    """(clé du libellé, valeur) d'une ligne « indicateur + année + chiffre », sinon None."""
    if len(line) > MAX_LINE or NATIONAL_RE.match(line) or _TARGET.search(line):
        return None
    values = propose_values(line)
    if len(values) != 1 or values[0]["annee"] is None or values[0]["valeur"] is None:
        return None
    libelle = _base_label(line)
    if not libelle or not re.search(r"[^\W\d]", libelle):
        return None
    value = dict(values[0], indicateur=libelle, texte=line)
    return normalize(libelle), value


def group_lines(lines: list[str]) -> tuple[list[str], list[Regroupement]]:
    """Lignes d'indicateurs → (un libellé par indicateur distinct, regroupements faits).

    Un regroupement réunit au moins deux lignes de même libellé et d'années différentes ;
    il prend la place de sa première ligne, sous le libellé de celle-ci sans année ni
    chiffre."""
    candidates = [_candidate(line) for line in lines]
    by_key: dict[str, list[int]] = {}
    for index, candidate in enumerate(candidates):
        if candidate is not None:
            by_key.setdefault(candidate[0], []).append(index)
    groups: dict[int, list[int]] = {}
    for indexes in by_key.values():
        years = [candidates[i][1]["annee"] for i in indexes]
        if len(indexes) >= 2 and len(set(years)) == len(years):
            groups[indexes[0]] = indexes
    grouped = {i for indexes in groups.values() for i in indexes}
    result, regroupements = [], []
    for index, line in enumerate(lines):
        if index in groups:
            members = groups[index]
            libelle = candidates[index][1]["indicateur"]
            valeurs = tuple(
                dict(candidates[i][1], indicateur=libelle)
                for i in sorted(members, key=lambda i: candidates[i][1]["annee"])
            )
            regroupements.append(
                Regroupement(libelle, tuple(lines[i] for i in members), tuple(members), valeurs)
            )
            result.append(libelle)
        elif index not in grouped:
            result.append(line)
    return result, regroupements

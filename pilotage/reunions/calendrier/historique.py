"""Rangement dans le temps et comparaison des états de la fiche (vue calendaire)."""

from __future__ import annotations

import datetime
import difflib
import re

from django.utils import timezone

from pilotage.contrats.models import FicheAction, Indicateur

from ..models import Decision, Reunion
from .grille import Column, Line

#: Lignes de la grille : clé, intitulé, précision (proposition 4).
ROWS = [
    ("acteurs", "Acteurs à mobiliser", "suivi de leur implication et nouveaux acteurs"),
    ("moyens", "Moyens financiers", "arbitrages"),
    ("quantitatifs", "Indicateurs quantitatifs", "dernières valeurs face à la cible"),
    ("qualitatifs", "Indicateurs qualitatifs", "relevés validés ou partagés"),
    ("vigilance", "Points de vigilance", ""),
    ("etat", "État et calendrier", "état de l'action, étapes déplacées"),
]

#: Rubriques de l'historique (`contrats.services.fiche_snapshot`) montrées par ligne ;
#: les indicateurs sont répartis entre les deux lignes d'indicateurs selon leur nature.
ROW_FIELDS = {
    "acteurs": ["acteurs"],
    "moyens": ["financements"],
    "vigilance": ["points_vigilance"],
    "etat": ["etat", "motif_abandon", "fiche_beneficiaire", "jalons"],
}

#: Rubriques d'une seule valeur : préfixe affiché devant la valeur.
SCALAR_PREFIX = {
    "etat": "État : ",
    "motif_abandon": "Motif de l'abandon : ",
    "fiche_beneficiaire": "Crédits redéployés vers : ",
}

WATCHED_FIELDS = {f for fields in ROW_FIELDS.values() for f in fields} | {"indicateurs"}

#: Type de décision → ligne de la grille.
DECISION_ROWS = {
    Decision.Categorie.ACTEURS: ["acteurs"],
    Decision.Categorie.MOYENS: ["moyens"],
    Decision.Categorie.INDICATEURS: ["quantitatifs", "qualitatifs"],
    Decision.Categorie.VIGILANCE: ["vigilance"],
    Decision.Categorie.CALENDRIER: ["etat"],
    Decision.Categorie.ETAT: ["etat"],
    Decision.Categorie.AUTRE: ["etat"],
}


def local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


# --- Colonnes et rangement ------------------------------------------------------------


class Columns:
    """Colonnes de la grille et règle de rangement d'un événement daté."""

    def __init__(self, fiche: FicheAction, reunions: list[Reunion], now: datetime.datetime):
        contrat = fiche.contrat
        self.signature = contrat.date_signature
        self.annee_debut = contrat.generation.annee_debut
        self.initial = Column(
            key="initial",
            titre="Signature",
            sous_titre=(
                f"Contrat signé le {self.signature:%d/%m/%Y}" if self.signature else "État initial"
            ),
            kind="initial",
            limite=self.signature,
        )
        self.past: list[Column] = []
        self.upcoming: list[Column] = []
        self.by_reunion: dict[int, Column] = {}
        for reunion in reunions:
            passee = reunion.date < now
            column = Column(
                key=f"reunion-{reunion.pk}",
                titre=reunion.titre,
                sous_titre=(
                    f"{reunion.get_type_display()} du "
                    f"{timezone.localtime(reunion.date):%d/%m/%Y}"
                    + ("" if passee else " (à venir)")
                ),
                kind="reunion" if passee else "a_venir",
                reunion=reunion,
                limite=local_date(reunion.date),
            )
            (self.past if passee else self.upcoming).append(column)
            self.by_reunion[reunion.pk] = column
        self.today = Column(
            key="aujourdhui",
            titre="Aujourd'hui",
            sous_titre="Depuis la dernière réunion" if self.past else "Depuis la signature",
            kind="aujourdhui",
            limite=local_date(now),
        )

    def ordered(self) -> list[Column]:
        return [self.initial, *self.past, self.today, *self.upcoming]

    def place(self, day: datetime.date) -> Column:
        """Colonne d'un événement daté : l'état initial s'il précède la signature, sinon
        la première réunion passée tenue ce jour-là ou après, sinon « Aujourd'hui »."""
        if self.signature and day <= self.signature:
            return self.initial
        for column in self.past:
            if column.limite >= day:
                return column
        return self.today


# --- Listes et différences ------------------------------------------------------------


def split_lines(value: str) -> list[str]:
    return [line for line in (value or "").splitlines() if line.strip()]


def diff_lines(old: list[str], new: list[str]) -> list[Line]:
    """Les lignes de `new`, marquées ajoutées ou modifiées, et les lignes retirées de `old`.

    Une ligne remplacée par une ligne voisine et ressemblante (montant, implication ou date
    changés) est « modifiée » plutôt que retirée puis ajoutée."""
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(Line(text) for text in new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = 0
        for a, b in zip(olds, news, strict=False):
            if not _same_item(a, b):
                break
            lines.append(Line(b, status="modified", old=a))
            paired += 1
        lines.extend(Line(text, status="removed") for text in olds[paired:])
        lines.extend(Line(text, status="added") for text in news[paired:])
    return lines


def _same_item(a: str, b: str) -> bool:
    """Deux textes désignent-ils la même ligne ? Même début (nom de l'acteur, financeur,
    étape, libellé avant la précision) ou textes très proches."""
    if _KEY.split(a, maxsplit=1)[0] == _KEY.split(b, maxsplit=1)[0]:
        return True
    return difflib.SequenceMatcher(a=a, b=b).ratio() >= 0.6


_KEY = re.compile(r" \(| : | \[| – | prévu le | cible | référence ")


def scalar_lines(field_name: str, value: str) -> list[str]:
    if not value:
        return []
    return [SCALAR_PREFIX[field_name] + " ".join(value.split())]


class Natures:
    """Nature (quantitatif, qualitatif) d'une ligne d'indicateur de l'historique, retrouvée
    par son libellé parmi les indicateurs actuels de la fiche (le texte ne la dit pas)."""

    def __init__(self, indicateurs: list[Indicateur]):
        prefixes = []
        for indicateur in indicateurs:
            prefix = (
                "Indicateur national : " if indicateur.indicateur_national_id else ""
            ) + indicateur.libelle
            prefixes.append((prefix, indicateur))
        # Le préfixe le plus long d'abord : « Nombre d'IP évaluées 2024 » avant « Nombre d'IP ».
        self.prefixes = sorted(prefixes, key=lambda p: -len(p[0]))

    def indicateur(self, text: str) -> Indicateur | None:
        for prefix, indicateur in self.prefixes:
            if text == prefix or text.startswith(prefix + " "):
                return indicateur
        return None

    def nature(self, line: Line) -> str:
        for text in (line.text, line.old):
            indicateur = self.indicateur(text) if text else None
            if indicateur is not None:
                return indicateur.nature
        return Indicateur.Nature.QUANTITATIF

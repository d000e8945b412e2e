"""Structure de la vue calendaire : colonnes, lignes, cellules et ce qu'elles montrent."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from pilotage.contrats.models import FicheAction
from pilotage.suivi.models import Releve

from ..models import Decision, Reunion


@dataclass
class Line:
    """Une ligne d'une liste de la fiche (un acteur, un financement…) à un moment donné."""

    text: str
    #: "same", "added" (ajouté), "removed" (retiré) ou "modified" (modifié).
    status: str = "same"
    old: str = ""
    #: Précisions affichées sous la ligne (dernière valeur d'un indicateur…).
    details: list[Detail] = field(default_factory=list)

    @property
    def avant(self) -> str:
        """Ce que disait la ligne avant sa modification, réduit aux mots changés (avec un mot
        de contexte) quand elle est longue : « … prévu le 31/12/2025 »."""
        if self.status != "modified" or len(self.old) <= 60:
            return self.old
        old, new = self.old.split(), self.text.split()
        parts = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                start = max(i1 - 2, 0)
                parts.append(
                    ("… " if start else "")
                    + " ".join(old[start:i2])
                    + (" …" if i2 < len(old) else "")
                )
        return " ".join(parts) or "texte complété depuis"

    @property
    def status_label(self) -> str:
        return {"added": "ajouté", "removed": "retiré", "modified": "modifié"}.get(self.status, "")


@dataclass
class Detail:
    text: str
    new: bool = False


@dataclass
class DecisionItem:
    decision: Decision
    #: « Décision sur la fiche n°3 » quand la décision vient d'une autre fiche (transfert reçu).
    origine: str = ""

    @property
    def statuts(self) -> list[str]:
        d = self.decision
        labels = []
        if d.appliquee_le:
            labels.append(f"appliquée le {timezone.localtime(d.appliquee_le):%d/%m/%Y}")
        labels.append("close" if d.statut == Decision.Statut.CLOSE else "ouverte")
        return labels


@dataclass
class ReleveItem:
    releve: Releve

    @property
    def text(self) -> str:
        r = self.releve
        return f"{r.date_observation:%d/%m/%Y} – {r.indicateur.libelle} : {r.situation}"


@dataclass
class Column:
    key: str
    titre: str
    sous_titre: str
    #: "initial", "reunion", "aujourdhui" ou "a_venir".
    kind: str
    reunion: Reunion | None = None
    #: Date limite de la colonne (pour ranger ce qui arrive au fil du temps).
    limite: datetime.date | None = None

    @property
    def a_venir(self) -> bool:
        return self.kind == "a_venir"


@dataclass
class Cell:
    column: Column
    #: État à ce moment, avec les changements depuis la colonne précédente.
    lines: list[Line] = field(default_factory=list)
    changed: bool = False
    decisions: list[DecisionItem] = field(default_factory=list)
    releves: list[ReleveItem] = field(default_factory=list)
    #: Modifications de la fiche rangées ici (hors décisions) : « Modification du 05/02/2026 ».
    modifications: list[str] = field(default_factory=list)
    #: Les lignes rendues, à la demande (posé par la vue : views/calendrier.py).
    lignes: Callable[[], str] | None = None

    # Propriétés lues plusieurs fois par le gabarit : calculées une fois, la cellule
    # finie (`fiche_calendrier` ne la change plus après `_cell`).

    @cached_property
    def has_news(self) -> bool:
        """Quelque chose s'est passé à ce moment (changement, décision, relevé, valeur)."""
        return bool(
            self.changed
            or self.decisions
            or self.releves
            or any(d.new for line in self.lines for d in line.details)
        )

    @cached_property
    def show_state(self) -> bool:
        """L'état est montré à la signature, et ensuite quand il a changé (lignes ou valeurs)."""
        return (
            self.column.kind == "initial"
            or self.changed
            or any(d.new for line in self.lines for d in line.details)
        )

    @cached_property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.status == "added")

    @cached_property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.status == "removed")

    @cached_property
    def modified(self) -> int:
        return sum(1 for line in self.lines if line.status == "modified")


@dataclass
class Row:
    key: str
    label: str
    hint: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def court(self) -> bool:
        """Ligne assez courte pour tenir sur une page : le PDF évite alors de la couper
        (une ligne plus longue est coupée, sans quoi les en-têtes ne se répètent plus)."""
        size = max(
            (
                len(c.lines)
                + sum(len(line.details) for line in c.lines)
                + 3 * len(c.decisions)
                + 2 * len(c.releves)
                for c in self.cells
            ),
            default=0,
        )
        return size <= 20


@dataclass
class Grille:
    fiche: FicheAction
    columns: list[Column]
    rows: list[Row]

    @property
    def nb_reunions(self) -> int:
        return sum(1 for c in self.columns if c.kind == "reunion")

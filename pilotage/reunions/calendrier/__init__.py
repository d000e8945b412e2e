"""Vue calendaire d'une fiche (proposition 4 du Club des territoires).

Une grille dont les colonnes sont l'état initial (signature du contrat) puis chaque
réunion de suivi, et les lignes les facteurs suivis de la fiche (acteurs, moyens
financiers, indicateurs quantitatifs et qualitatifs, points de vigilance, état et
calendrier). Chaque cellule montre l'état à ce moment, ce qui a changé depuis la
colonne précédente et les décisions de la réunion sur ce facteur.

L'état passé est reconstruit depuis l'historique de la fiche (`core.Revision`) :
chaque révision est rangée dans une colonne, et la valeur d'une rubrique dans une
colonne est la nouvelle valeur du dernier changement de cette rubrique rangé dans
cette colonne ou une colonne antérieure. Rangement :

- la première révision (création, import ou chargement) et celles antérieures à la
  signature : état initial, quelle que soit leur date (une fiche peut être saisie
  dans l'application bien après la signature) ;
- une révision produite par une décision : la réunion de cette décision ;
- une autre révision : la première réunion tenue à cette date ou après (ce qui a
  changé entre deux réunions est présenté à la réunion suivante), sinon la colonne
  « Aujourd'hui » (depuis la dernière réunion), ajoutée seulement si elle a du contenu.

Les valeurs d'indicateurs sont rangées de même selon leur date de saisie ; celles
d'une période antérieure au contrat (données de référence, par ex. 2024 pour le
contrat 2025-2027) appartiennent à l'état initial. Les relevés qualitatifs validés ou
partagés sont rangés selon leur date d'observation.

Tout est chargé en un nombre fixe de requêtes, puis calculé en Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from pilotage.contrats.models import FicheAction, Indicateur
from pilotage.contrats.services import FICHE_LISTS, fiche_snapshot
from pilotage.core.models import Revision
from pilotage.suivi.models import Releve, ValeurIndicateur

from .. import changements
from ..models import Decision, Reunion
from .grille import Cell, Column, DecisionItem, Detail, Grille, Line, ReleveItem, Row
from .historique import (
    DECISION_ROWS,
    ROW_FIELDS,
    ROWS,
    SCALAR_PREFIX,
    WATCHED_FIELDS,
    Columns,
    Natures,
    diff_lines,
    local_date,
    scalar_lines,
    split_lines,
)

__all__ = ["Cell", "Column", "Grille", "Line", "Row", "fiche_calendrier"]


def _reunions(fiche: FicheAction) -> list[Reunion]:
    reunions = list(
        Reunion.objects.filter(contrat_id=fiche.contrat_id)
        .exclude(statut=Reunion.Statut.ANNULEE)  # sans effet sur le rang des autres
        .only("contrat_id", "type", "date", "statut")  # ce que montrent les colonnes
        .avec_rang()  # sinon `Reunion.titre` ferait une requête par réunion
        .order_by("date", "pk")
    )
    for reunion in reunions:
        reunion.contrat = fiche.contrat
    return reunions


def _values_by_column(
    cols: Columns, order: dict[str, int], indicateurs: list[Indicateur]
) -> dict[int, list[tuple[int, ValeurIndicateur]]]:
    """Valeurs des indicateurs quantitatifs : {indicateur: [(rang de colonne, valeur)]}.

    Lues par les indicateurs déjà chargés (ni jointure ni ordre : seule compte la plus
    récente, `_attach_values`), chacune reliée à son indicateur."""
    by_indicateur: dict[int, list[tuple[int, ValeurIndicateur]]] = defaultdict(list)
    quantitatifs = {i.pk: i for i in indicateurs if i.nature == Indicateur.Nature.QUANTITATIF}
    if not quantitatifs:
        return by_indicateur
    valeurs = (
        ValeurIndicateur.objects.filter(indicateur_id__in=list(quantitatifs))
        .only(
            "created_at",
            "indicateur_id",
            "annee",
            "semestre",
            "valeur",
            "numerateur",
            "denominateur",
        )
        .order_by()
    )
    for valeur in valeurs:
        valeur.indicateur = quantitatifs[valeur.indicateur_id]
        if valeur.annee < cols.annee_debut:
            column = cols.initial  # donnée de référence, connue à la signature
        else:
            column = cols.place(local_date(valeur.created_at))
        by_indicateur[valeur.indicateur_id].append((order[column.key], valeur))
    return by_indicateur


def _value_detail(valeur: ValeurIndicateur, new: bool) -> Detail:
    return Detail(f"Dernière valeur : {valeur.affichage} ({valeur.periode_libelle})", new=new)


@dataclass
class _Facts:
    """Ce que la grille montre, rangé par colonne (rang dans `columns`)."""

    value_at: Callable[[str, int], str]
    modifications: dict[tuple[int, str], set[str]]
    decisions_by_cell: dict[tuple[int, str], list[DecisionItem]]
    natures: Natures
    indicateurs: list[Indicateur]
    valeurs: dict[int, list[tuple[int, ValeurIndicateur]]]
    releves_by_col: dict[int, list[ReleveItem]]


def fiche_calendrier(fiche: FicheAction, *, viewer) -> Grille:
    """La grille calendaire de la fiche, vue par `viewer` (relevés visibles seulement)."""
    now = timezone.now()
    reunions = _reunions(fiche)
    cols = Columns(fiche, reunions, now)
    columns = cols.ordered()
    order = {column.key: index for index, column in enumerate(columns)}
    own = _decisions(fiche, reunions)
    placed = _placed_revisions(fiche, cols, order)
    changes_by_field, modifications = _changes_by_field(fiche, placed)
    indicateurs = list(fiche.indicateurs.order_by("nature", "ordre", "pk"))  # sans jointure
    facts = _Facts(
        value_at=_value_getter(changes_by_field),
        modifications=modifications,
        decisions_by_cell=_decisions_by_cell(own, cols, order, indicateurs),
        natures=Natures(indicateurs),
        indicateurs=indicateurs,
        valeurs=_values_by_column(cols, order, indicateurs),
        releves_by_col=_releves_by_column(fiche, viewer, cols, order, indicateurs),
    )
    rows = _grid_rows(columns, facts)
    # « Aujourd'hui » seulement si quelque chose s'est passé depuis la dernière réunion.
    today_index = order[cols.today.key]
    if not any(row.cells[today_index].has_news for row in rows):
        del columns[today_index]
        for row in rows:
            del row.cells[today_index]
    return Grille(fiche=fiche, columns=columns, rows=rows)


def _decisions(fiche: FicheAction, reunions: list[Reunion]) -> list[DecisionItem]:
    """Décisions montrées sur cette fiche : les siennes et les transferts reçus d'autres
    fiches du contrat. Réunion prise dans `reunions` ; de la fiche décidée, le numéro."""
    by_reunion = {reunion.pk: reunion for reunion in reunions}
    # Les réunions du contrat, annulées exclues, sont déjà lues : ni jointure ni tri en SQL.
    decisions = sorted(
        Decision.objects.filter(
            Q(point__fiche_id=fiche.pk)
            | Q(categorie__in=sorted(changements.receiving_categories())),
            point__reunion_id__in=list(by_reunion),
        )
        .select_related("point__fiche")
        .only(*DECISION_FIELDS)
        .order_by(),
        key=lambda d: (by_reunion[d.point.reunion_id].date, d.created_at, d.pk),
    )
    own: list[DecisionItem] = []
    for decision in decisions:
        decision.point.reunion = by_reunion[decision.point.reunion_id]
        if decision.point.fiche_id == fiche.pk:
            own.append(DecisionItem(decision))
            continue
        receiving = changements.receiving_fiche(decision.changement)
        if receiving is not None and str(receiving) == str(fiche.numero):
            own.append(
                DecisionItem(
                    decision,
                    origine=f"Décision sur la fiche n°{decision.point.fiche.numero_affiche}",
                )
            )
    return own


#: Ce que la grille lit d'une décision (le texte de clôture, les auteurs… restent en base).
DECISION_FIELDS = (
    "categorie",
    "texte",
    "porteur",
    "echeance",
    "changement",
    "statut",
    "appliquee_le",
    "created_at",
    "point__reunion_id",
    "point__fiche__numero",
    "point__fiche__numero_texte",
)


@dataclass
class _Placed:
    """Une révision de la fiche rangée dans une colonne, avec ses changements suivis."""

    col_index: int
    created_at: datetime.datetime
    source_label: str
    #: Produite par une décision (sur cette fiche, ou transfert reçu d'une autre fiche).
    by_decision: bool
    #: [(rubrique, nouvelle valeur)] des rubriques suivies, dans l'ordre d'écriture.
    changes: list[tuple[str, str]]


def _placed_revisions(fiche: FicheAction, cols: Columns, order: dict[str, int]) -> list[_Placed]:
    """Historique : chaque révision rangée dans une colonne, en une requête (révisions, la
    réunion de la décision qui l'a produite et les changements des rubriques suivies)."""
    rows = (
        Revision.objects.for_object(fiche)
        .annotate(suivi=FilteredRelation("changes", condition=Q(changes__field__in=WATCHED_FIELDS)))
        .values_list(
            "pk",
            "created_at",
            "source",
            "decision__pk",
            "decision__point__reunion_id",
            "decision_recue__pk",
            "decision_recue__point__reunion_id",
            "suivi__field",
            "suivi__new_value",
        )
        # L'ordre d'écriture (l'historique n'est jamais réécrit), pas la date affichée.
        .order_by("pk", "suivi__pk")
    )
    sources = dict(Revision.Source.choices)
    placed: list[_Placed] = []
    last_pk = None
    for pk, created_at, source, dec, dec_reunion, recue, recue_reunion, field, value in rows:
        if pk != last_pk:
            last_pk = pk
            day = local_date(created_at)
            # La décision qui a produit la révision, sur la fiche décidée ou sur celle qui
            # reçoit un transfert.
            reunion_id = dec_reunion if dec is not None else recue_reunion
            by_decision = dec is not None or recue is not None
            if not placed or (cols.signature and day <= cols.signature):
                column = cols.initial
            elif by_decision and reunion_id in cols.by_reunion:
                column = cols.by_reunion[reunion_id]
            else:
                column = cols.place(day)
            placed.append(
                _Placed(order[column.key], created_at, sources.get(source, source), by_decision, [])
            )
        if field is not None:
            placed[-1].changes.append((field, value))
    return placed


def _changes_by_field(
    fiche: FicheAction, placed: list[_Placed]
) -> tuple[dict[str, list[tuple[int, int, str]]], dict[tuple[int, str], set[str]]]:
    """Changements de chaque rubrique suivie ({rubrique: [(colonne, position, valeur)]}) et
    modifications hors décision par cellule ({(colonne, rubrique): {« Source du … »}})."""
    changes_by_field: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    modifications: dict[tuple[int, str], set[str]] = defaultdict(set)
    for position, revision in enumerate(placed):
        col_index = revision.col_index
        for field_name, new_value in revision.changes:
            changes_by_field[field_name].append((col_index, position, new_value))
            if col_index and not revision.by_decision:
                modifications[(col_index, field_name)].add(
                    f"{revision.source_label} du {timezone.localtime(revision.created_at):%d/%m/%Y}"
                )
    if not placed:
        # Fiche sans historique (créée hors des services) : son état actuel tient lieu
        # d'état initial, plutôt qu'une grille vide.
        current = FicheAction.objects.prefetch_related("objectifs", "referents", *FICHE_LISTS).get(
            pk=fiche.pk
        )
        for name, (_label, value) in fiche_snapshot(current).items():
            changes_by_field[name].append((0, 0, value))
    return changes_by_field, modifications


def _value_getter(
    changes_by_field: dict[str, list[tuple[int, int, str]]],
) -> Callable[[str, int], str]:
    """Valeur d'une rubrique dans une colonne : le dernier changement (dans le temps) parmi
    ceux rangés dans cette colonne ou avant."""

    def value_at(field_name: str, col_index: int) -> str:
        best = None
        for c_index, position, value in changes_by_field.get(field_name, ()):
            if c_index <= col_index and (best is None or position > best[0]):
                best = (position, value)
        return best[1] if best else ""

    return value_at


def _releves_by_column(
    fiche: FicheAction, viewer, cols: Columns, order: dict[str, int], indicateurs: list[Indicateur]
) -> dict[int, list[ReleveItem]]:
    """Relevés qualitatifs validés ou partagés visibles par `viewer`, par colonne ; leur
    indicateur est pris parmi ceux de la fiche, déjà chargés."""
    releves_by_col: dict[int, list[ReleveItem]] = defaultdict(list)
    by_pk = {indicateur.pk: indicateur for indicateur in indicateurs}
    releves = (
        Releve.objects.visibles_par(viewer)
        .filter(fiche=fiche, statut__in=[Releve.Statut.VALIDE, Releve.Statut.PARTAGE])
        .only("indicateur_id", "date_observation", "situation", "statut")
        .order_by("date_observation", "pk")
    )
    for releve in releves:
        if releve.indicateur_id in by_pk:
            releve.indicateur = by_pk[releve.indicateur_id]
        releves_by_col[order[cols.place(releve.date_observation).key]].append(ReleveItem(releve))
    return releves_by_col


def _decisions_by_cell(
    own: list[DecisionItem], cols: Columns, order: dict[str, int], indicateurs: list[Indicateur]
) -> dict[tuple[int, str], list[DecisionItem]]:
    """Décisions montrées par cellule : la colonne de leur réunion, la ligne de leur type."""
    decisions_by_cell: dict[tuple[int, str], list[DecisionItem]] = defaultdict(list)
    for item in own:
        column = cols.by_reunion.get(item.decision.point.reunion_id)
        if column is None:
            continue
        for row_key in _decision_rows(item.decision, indicateurs):
            decisions_by_cell[(order[column.key], row_key)].append(item)
    return decisions_by_cell


def _grid_rows(columns: list[Column], facts: _Facts) -> list[Row]:
    """Les lignes de la grille et leurs cellules, colonne après colonne."""
    rows = [Row(key, label, hint) for key, label, hint in ROWS]
    previous: dict[str, list[str]] = {}
    for col_index, column in enumerate(columns):
        current = _row_texts(facts.value_at, col_index, facts.natures)
        for row in rows:
            row.cells.append(
                _cell(column, col_index, row.key, previous.get(row.key, []), current, facts)
            )
        previous = current
    return rows


def _cell(
    column: Column,
    col_index: int,
    row_key: str,
    old: list[str],
    current: dict[str, list[str]],
    facts: _Facts,
) -> Cell:
    """La cellule d'une ligne dans une colonne : état, changements depuis la colonne
    précédente, décisions, et selon la ligne valeurs d'indicateurs ou relevés."""
    new = current[row_key]
    lines = [Line(t) for t in new] if col_index == 0 else diff_lines(old, new)
    cell = Cell(
        column=column,
        lines=lines,
        changed=col_index > 0 and old != new,
        decisions=facts.decisions_by_cell.get((col_index, row_key), []),
    )
    fields = ROW_FIELDS.get(row_key, ["indicateurs"])
    if cell.changed:
        cell.modifications = sorted(
            {m for f in fields for m in facts.modifications.get((col_index, f), ())}
        )
    if row_key == "quantitatifs":
        _attach_values(cell, col_index, facts.natures, facts.valeurs, facts.indicateurs)
    elif row_key == "qualitatifs":
        cell.releves = facts.releves_by_col.get(col_index, [])
    return cell


def _decision_rows(decision: Decision, indicateurs: list[Indicateur]) -> list[str]:
    """Ligne(s) de la grille d'une décision : celle de son type ; pour un indicateur
    désigné, la ligne de sa nature seulement."""
    rows = DECISION_ROWS.get(decision.categorie, ["etat"])
    if decision.categorie == Decision.Categorie.INDICATEURS:
        target = str((decision.changement or {}).get("indicateur", ""))
        for indicateur in indicateurs:
            if str(indicateur.pk) == target:
                return [
                    "quantitatifs"
                    if indicateur.nature == Indicateur.Nature.QUANTITATIF
                    else "qualitatifs"
                ]
    return rows


def _row_texts(value_at, col_index: int, natures: Natures) -> dict[str, list[str]]:
    """Texte de chaque ligne de la grille (liste de lignes) dans une colonne."""
    texts: dict[str, list[str]] = {}
    for row_key, fields in ROW_FIELDS.items():
        lines: list[str] = []
        for field_name in fields:
            value = value_at(field_name, col_index)
            if field_name in SCALAR_PREFIX:
                lines += scalar_lines(field_name, value)
            else:
                lines += split_lines(value)
        texts[row_key] = lines
    texts["quantitatifs"], texts["qualitatifs"] = [], []
    for text in split_lines(value_at("indicateurs", col_index)):
        nature = natures.nature(Line(text))
        key = "qualitatifs" if nature == Indicateur.Nature.QUALITATIF else "quantitatifs"
        texts[key].append(text)
    return texts


def _attach_values(
    cell: Cell,
    col_index: int,
    natures: Natures,
    valeurs: dict[int, list[tuple[int, Any]]],
    indicateurs: list[Indicateur],
) -> None:
    """Sous chaque indicateur quantitatif, sa dernière valeur connue à ce moment."""

    def latest(indicateur_id: int) -> tuple[int, ValeurIndicateur] | None:
        known = [(c, v) for c, v in valeurs.get(indicateur_id, ()) if c <= col_index]
        if not known:
            return None
        return max(known, key=lambda cv: (cv[1].periode_cle, cv[1].created_at, cv[1].pk))

    shown = set()
    for line in cell.lines:
        if line.status == "removed":
            continue
        indicateur = natures.indicateur(line.text)
        if indicateur is None or indicateur.pk in shown:
            continue
        shown.add(indicateur.pk)
        found = latest(indicateur.pk)
        if found:
            line.details.append(_value_detail(found[1], new=found[0] == col_index > 0))
    # Valeurs d'un indicateur dont le libellé a changé depuis : rien ne se perd.
    for indicateur in indicateurs:
        if indicateur.pk in shown or indicateur.nature != Indicateur.Nature.QUANTITATIF:
            continue
        found = latest(indicateur.pk)
        if found:
            line = Line(indicateur.libelle)
            line.details.append(_value_detail(found[1], new=found[0] == col_index > 0))
            cell.lines.append(line)

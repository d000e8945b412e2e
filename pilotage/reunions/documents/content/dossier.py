"""Dossier de préparation : ce qu'il faut avoir sous les yeux avant la réunion."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Max, Q
from django.utils import timezone

from pilotage.contrats import retraits
from pilotage.contrats.models import Etat, Indicateur, Jalon, PointVigilance, jalons_en_retard
from pilotage.suivi.models import Releve, ReleveEtape, ValeurIndicateur, latest_per_period

from ...models import (
    PointOrdreDuJour,
    Reunion,
)
from ...selectors import reunion_precedente, reunions_avec_rang
from .commun import (
    DecisionItem,
    Entete,
    _date,
    _decisions_precedentes,
    _entete,
    _points,
)
from .fiche import FicheDuPoint

# --- Dossier de préparation -----------------------------------------------------------


@dataclass
class IndicateurLigne:
    indicateur: Indicateur
    derniere: ValeurIndicateur | None
    precedente: ValeurIndicateur | None

    @cached_property
    def libelle(self) -> str:
        """Le libellé, « (retiré le …) » pour un indicateur retiré (page, PDF, Word)."""
        return self.indicateur.libelle + retraits.mention(self.indicateur.retire_le)

    def _with_unit(self, value: Decimal | None) -> str:
        """Une valeur de l'indicateur (cible, référence) dans son unité : celle de la fiche,
        jamais déduite de la forme de la dernière saisie (« 787 sur 844 » n'est pas un %)."""
        return self.indicateur.formater(value)

    @cached_property
    def valeur(self) -> str:
        return self.derniere.affichage if self.derniere else "Aucune valeur saisie"

    @cached_property
    def periode(self) -> str:
        return self.derniere.periode_libelle if self.derniere else ""

    @cached_property
    def cible(self) -> str:
        return self._with_unit(self.indicateur.cible) or "Non fixée"

    @cached_property
    def reference(self) -> str:
        text = self._with_unit(self.indicateur.valeur_reference)
        if text and self.indicateur.annee_reference:
            text += f" ({self.indicateur.annee_reference})"
        return text or "Non renseignée"

    @cached_property
    def precedente_texte(self) -> str:
        if self.precedente is None:
            return ""
        return f"{self.precedente.affichage} ({self.precedente.periode_libelle})"

    @cached_property
    def ecart_cible(self) -> str:
        """« 80 % de la cible », « 5 points en dessous de la cible », « Cible atteinte » : la
        dernière valeur rapportée à la cible, dans l'unité de l'indicateur et selon son sens."""
        if self.derniere is None:
            return ""
        return self.indicateur.progression(self.derniere.valeur_principale)


@dataclass
class ReleveItem:
    releve: Releve
    valide_le: datetime.date

    @property
    def titre(self) -> str:
        return f"{self.releve.situation} (observé le {_date(self.releve.date_observation)})"


@dataclass
class DossierFiche(FicheDuPoint):
    point: PointOrdreDuJour
    referent: str
    etat: str
    etat_libelle: str
    motif_abandon: str
    en_retard: bool
    jalons_en_retard: list
    indicateurs: list[IndicateurLigne]
    releves: list[ReleveItem]
    decisions: list[DecisionItem]
    vigilance: list[str]
    # Posés par la page (pas le PDF ni le Word) : adresse de la fiche, badge d'état rendu.
    url: str = ""
    etat_badge: str = ""

    @property
    def fiche(self):
        return self.point.fiche


@dataclass
class DossierContent:
    entete: Entete
    reunion_precedente: Reunion | None
    depuis: str  # « depuis le comité de suivi du … » ou « depuis la signature »
    decisions_ouvertes: list[DecisionItem]
    fiches: list[DossierFiche]

    @property
    def titre(self) -> str:
        return f"Dossier de préparation – {self.entete.libelle}"


def _releves(reunion: Reunion, precedente: Reunion | None, fiche_ids, viewer) -> dict:
    """Relevés validés (ou partagés) visibles du lecteur, validés entre la réunion
    précédente et celle-ci ; un brouillon ou un relevé relu n'y figure jamais."""
    releves = (
        Releve.objects.visibles_par(viewer)
        .filter(fiche_id__in=fiche_ids, statut__in=[Releve.Statut.VALIDE, Releve.Statut.PARTAGE])
        .select_related("indicateur")
        # La dernière validation lue dans la même requête (pas de lecture des étapes).
        .annotate(
            _valide_at=Max(
                "etapes__created_at",
                filter=Q(etapes__action=ReleveEtape.Action.VALIDATION),
            )
        )
        .order_by("date_observation", "pk")
    )
    start = timezone.localtime(precedente.date) if precedente else None
    end = timezone.localtime(reunion.date)
    by_fiche = defaultdict(list)
    for releve in releves:
        moment = releve._valide_at
        if moment is not None:
            keep = (start is None or moment >= start) and moment < end
            valide_le = timezone.localtime(moment).date()
        else:  # pas de trace de validation (données importées) : la date d'observation
            valide_le = releve.date_observation
            keep = (start is None or valide_le >= start.date()) and valide_le <= end.date()
        if keep:
            by_fiche[releve.fiche_id].append(ReleveItem(releve, valide_le))
    return by_fiche


@dataclass
class _LignesDesFiches:
    """Ce que le dossier montre de chaque fiche, lu pour toutes les fiches de l'ordre du jour
    en une requête par sorte de ligne, rangé par fiche (sans un jeu de requêtes préchargées
    par fiche et par indicateur)."""

    jalons_en_retard: dict[int, list[Jalon]]
    vigilance: dict[int, list[str]]
    indicateurs: dict[int, list[IndicateurLigne]]

    @classmethod
    def lire(cls, fiche_ids) -> "_LignesDesFiches":
        # Ordre explicite, à l'intérieur de la fiche (ou de l'indicateur) : celui des Meta
        # commence par la fiche, que la lecture range déjà elle-même.
        late = defaultdict(list)
        jalons = Jalon.objects.filter(jalons_en_retard(), fiche_id__in=fiche_ids)
        for jalon in jalons.order_by("ordre", "pk"):
            late[jalon.fiche_id].append(jalon)
        vigilance = defaultdict(list)
        points = PointVigilance.objects.filter(fiche_id__in=fiche_ids).order_by("ordre", "pk")
        for fiche_id, libelle in points.values_list("fiche_id", "libelle"):
            vigilance[fiche_id].append(libelle)
        return cls(late, vigilance, _indicateurs(fiche_ids))


def _indicateurs(fiche_ids) -> dict[int, list[IndicateurLigne]]:
    """Les indicateurs quantitatifs de chaque fiche, avec leurs deux dernières valeurs."""
    indicateurs = list(
        Indicateur.objects.filter(
            fiche_id__in=fiche_ids, nature=Indicateur.Nature.QUANTITATIF
        ).order_by("ordre", "pk")
    )
    valeurs = defaultdict(list)
    by_pk = {indicateur.pk: indicateur for indicateur in indicateurs}
    # Aucun ordre en SQL : latest_per_period range les valeurs de chaque indicateur.
    for valeur in ValeurIndicateur.objects.filter(indicateur_id__in=by_pk).order_by():
        valeur.indicateur = by_pk[valeur.indicateur_id]  # affichage : pas de requête de plus
        valeurs[valeur.indicateur_id].append(valeur)
    lines = defaultdict(list)
    for indicateur in indicateurs:
        # Dernière période, puis dernière saisie (une correction est une nouvelle saisie).
        ordered = latest_per_period(valeurs[indicateur.pk])
        lines[indicateur.fiche_id].append(
            IndicateurLigne(
                indicateur,
                ordered[-1] if ordered else None,
                ordered[-2] if len(ordered) > 1 else None,
            )
        )
    return lines


def _dossier_fiche(point, lignes: _LignesDesFiches, releves, decisions) -> DossierFiche:
    fiche = point.fiche
    late = lignes.jalons_en_retard.get(fiche.pk, [])
    closed = fiche.etat in (Etat.REALISEE, Etat.ABANDONNEE)
    fiche._en_retard = bool(late)  # lu par FicheAction.en_retard : pas de requête de plus
    return DossierFiche(
        point=point,
        referent=fiche.referent or "Non renseigné",
        etat=fiche.etat,
        etat_libelle=fiche.get_etat_display(),
        motif_abandon=fiche.motif_abandon if fiche.etat == Etat.ABANDONNEE else "",
        en_retard=bool(late) and not closed,
        jalons_en_retard=[] if closed else late,
        indicateurs=lignes.indicateurs.get(fiche.pk, []),
        releves=releves.get(fiche.pk, []),
        decisions=decisions.get(fiche.numero, []),
        vigilance=lignes.vigilance.get(fiche.pk, []),
    )


def _depuis(precedente: Reunion | None) -> str:
    if precedente:
        return f"depuis le {precedente.get_type_display().lower()} du {_date(precedente.date)}"
    return "depuis la signature du contrat"


def dossier_content(reunion: Reunion, *, viewer, reunions=None) -> DossierContent:
    """Le dossier de préparation de la réunion, tel que `viewer` peut le voir ; `reunions` :
    toutes celles du contrat si la vue les a lues (`selectors.reunions_avec_rang`)."""
    points = _points(reunion)
    # Une requête pour toutes les réunions du contrat : rangs et réunion précédente.
    if reunions is None:
        reunions = reunions_avec_rang(reunion.contrat)
    precedente = reunion_precedente(reunion, reunions)
    entete = _entete(reunion, [precedente] if precedente else [], reunions)
    decisions = _decisions_precedentes(reunion, reunions)
    decisions_by_fiche = defaultdict(list)
    for item in decisions:
        decisions_by_fiche[item.fiche_numero].append(item)
    fiche_ids = [p.fiche_id for p in points]
    lignes = _LignesDesFiches.lire(fiche_ids)
    releves = _releves(reunion, precedente, fiche_ids, viewer)
    return DossierContent(
        entete=entete,
        reunion_precedente=precedente,
        depuis=_depuis(precedente),
        decisions_ouvertes=decisions,
        fiches=[_dossier_fiche(p, lignes, releves, decisions_by_fiche) for p in points],
    )

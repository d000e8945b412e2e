"""Dossier de préparation : ce qu'il faut avoir sous les yeux avant la réunion."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from pilotage.contrats import retraits
from pilotage.contrats.models import Etat, Indicateur, Jalon, PointVigilance
from pilotage.suivi.models import Releve, ReleveEtape, ValeurIndicateur

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

    @property
    def libelle(self) -> str:
        """Le libellé, « (retiré le …) » pour un indicateur retiré (page, PDF, Word)."""
        return self.indicateur.libelle + retraits.mention(self.indicateur.retire_le)

    def _with_unit(self, value: Decimal | None) -> str:
        """Une valeur de l'indicateur (cible, référence) dans son unité : celle de la fiche,
        jamais déduite de la forme de la dernière saisie (« 787 sur 844 » n'est pas un %)."""
        return self.indicateur.formater(value)

    @property
    def valeur(self) -> str:
        return self.derniere.affichage if self.derniere else "Aucune valeur saisie"

    @property
    def periode(self) -> str:
        return self.derniere.periode_libelle if self.derniere else ""

    @property
    def cible(self) -> str:
        return self._with_unit(self.indicateur.cible) or "Non fixée"

    @property
    def reference(self) -> str:
        text = self._with_unit(self.indicateur.valeur_reference)
        if text and self.indicateur.annee_reference:
            text += f" ({self.indicateur.annee_reference})"
        return text or "Non renseignée"

    @property
    def precedente_texte(self) -> str:
        if self.precedente is None:
            return ""
        return f"{self.precedente.affichage} ({self.precedente.periode_libelle})"

    @property
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


def _indicateurs(fiche) -> list[IndicateurLigne]:
    lines = []
    for indicateur in fiche.indicateurs.all():
        # Dernière période, puis dernière saisie (une correction est une nouvelle saisie).
        valeurs = sorted(indicateur.valeurs.all(), key=lambda v: (v.periode_cle, v.created_at))
        latest: dict[tuple, ValeurIndicateur] = {}
        for valeur in valeurs:
            latest[valeur.periode_cle] = valeur
        ordered = [latest[k] for k in sorted(latest)]
        lines.append(
            IndicateurLigne(
                indicateur,
                ordered[-1] if ordered else None,
                ordered[-2] if len(ordered) > 1 else None,
            )
        )
    return lines


def dossier_content(reunion: Reunion, *, viewer, reunions=None) -> DossierContent:
    """Le dossier de préparation de la réunion, tel que `viewer` peut le voir ; `reunions` :
    toutes celles du contrat si la vue les a lues (`selectors.reunions_avec_rang`)."""
    # Ordre explicite, à l'intérieur de la fiche (ou de l'indicateur) : celui des Meta
    # commence par « fiche », que Django suit jusqu'à l'ordre du contrat (quatre jointures
    # par requête, à compiler et à exécuter) pour un classement déjà fixé par la fiche.
    points = _points(
        reunion,
        Prefetch("fiche__jalons", queryset=Jalon.objects.order_by("ordre", "pk")),
        Prefetch(
            "fiche__points_vigilance", queryset=PointVigilance.objects.order_by("ordre", "pk")
        ),
        Prefetch(
            "fiche__indicateurs",
            queryset=Indicateur.objects.filter(nature=Indicateur.Nature.QUANTITATIF).order_by(
                "nature", "ordre", "pk"
            ),
        ),
        Prefetch(
            "fiche__indicateurs__valeurs",
            queryset=ValeurIndicateur.objects.order_by("annee", "semestre", "created_at", "pk"),
        ),
    )
    # Une requête pour toutes les réunions du contrat : rangs et réunion précédente.
    if reunions is None:
        reunions = reunions_avec_rang(reunion.contrat)
    precedente = reunion_precedente(reunion, reunions)
    entete = _entete(reunion, [precedente] if precedente else [], reunions)
    decisions = _decisions_precedentes(reunion, reunions)
    decisions_by_fiche = defaultdict(list)
    for item in decisions:
        decisions_by_fiche[item.fiche_numero].append(item)
    releves = _releves(reunion, precedente, [p.fiche_id for p in points], viewer)
    fiches = []
    for point in points:
        fiche = point.fiche
        late = [j for j in fiche.jalons.all() if j.en_retard]
        closed = fiche.etat in (Etat.REALISEE, Etat.ABANDONNEE)
        fiche._en_retard = bool(late)  # lu par FicheAction.en_retard : pas de requête de plus
        fiches.append(
            DossierFiche(
                point=point,
                referent=fiche.referent or "Non renseigné",
                etat=fiche.etat,
                etat_libelle=fiche.get_etat_display(),
                motif_abandon=fiche.motif_abandon if fiche.etat == Etat.ABANDONNEE else "",
                en_retard=bool(late) and not closed,
                jalons_en_retard=[] if closed else late,
                indicateurs=_indicateurs(fiche),
                releves=releves.get(fiche.pk, []),
                decisions=decisions_by_fiche.get(fiche.numero, []),
                vigilance=[p.libelle for p in fiche.points_vigilance.all()],
            )
        )
    if precedente:
        depuis = f"depuis le {precedente.get_type_display().lower()} du {_date(precedente.date)}"
    else:
        depuis = "depuis la signature du contrat"
    return DossierContent(
        entete=entete,
        reunion_precedente=precedente,
        depuis=depuis,
        decisions_ouvertes=decisions,
        fiches=fiches,
    )

"""Comparaison d'un indicateur national entre départements (issue 15, « tableau de bord
des indicateurs » de la DGCS) : la dernière valeur de chaque département, avec son année
et sa source ; médiane et quartiles nationaux et régionaux ; valeurs manquantes ; valeurs
à vérifier (un taux hors de 0 à 100 %, une valeur négative, une valeur loin des autres).

Lecture seule, en un nombre de requêtes constant : les valeurs des indicateurs rattachés à
l'indicateur national, filtrées dans la requête par ce que la personne peut voir, puis la
dernière de chaque département choisie en Python (quelques centaines de lignes au plus).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import F, Window
from django.db.models.functions import Coalesce, RowNumber

from pilotage.contrats.models import Contrat
from pilotage.referentiel.models import Generation, IndicateurNational
from pilotage.referentiel.unites import Unite
from pilotage.suivi.models import ValeurIndicateur, principal_value
from pilotage.territoires.models import Departement, Region

#: En deçà, quartiles et « loin des autres » ne veulent rien dire.
MIN_VALUES_FOR_FENCES = 5
#: Barrières de Tukey : au-delà de 1,5 écart interquartile des quartiles.
FENCE_FACTOR = Decimal("1.5")

ALERTE_TAUX = "Taux hors de 0 à 100 %"
ALERTE_NEGATIVE = "Valeur négative"
ALERTE_LOIN = "Loin des autres départements"


def perimetre(user) -> Region | None:
    """La région que `user` compare (périmètre régional), None pour le niveau national ;
    refusé à toute autre personne : un pilote de département ne voit pas les autres."""
    if user.is_authenticated and user.is_active and user.est_national:
        return None
    if user.is_authenticated and user.is_active and user.est_regional:
        return user.region
    raise PermissionDenied(
        "La comparaison des départements est réservée aux niveaux régional et national."
    )


@dataclass
class Stats:
    """Effectif, médiane et quartiles d'une série (None sous deux valeurs)."""

    n: int = 0
    mediane: Decimal | None = None
    q1: Decimal | None = None
    q3: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @classmethod
    def of(cls, values: list[Decimal]) -> "Stats":
        if not values:
            return cls()
        ordered = sorted(values)
        stats = cls(n=len(ordered), minimum=ordered[0], maximum=ordered[-1])
        stats.mediane = _round(statistics.median(ordered))
        if len(ordered) >= 2:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
            stats.q1, stats.q3 = _round(q1), _round(q3)
        return stats

    def fences(self) -> tuple[Decimal, Decimal] | None:
        if self.n < MIN_VALUES_FOR_FENCES or self.q1 is None:
            return None
        spread = (self.q3 - self.q1) * FENCE_FACTOR
        return self.q1 - spread, self.q3 + spread


def _round(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


@dataclass
class LigneDepartement:
    departement: Departement
    valeur: Decimal | None = None
    annee: int | None = None
    periode: str = ""
    source: str = ""
    alertes: list[str] = field(default_factory=list)
    a_contrat: bool = False
    indicateur: IndicateurNational | None = field(default=None, repr=False)

    @property
    def manquante(self) -> bool:
        return self.valeur is None

    @cached_property
    def texte(self) -> str:
        """La valeur écrite avec son unité, à la demande : la liste des indicateurs (dix
        comparaisons d'une centaine de départements) n'en affiche aucune."""
        if self.valeur is None or self.indicateur is None:
            return ""
        return self.indicateur.formater(self.valeur)


@dataclass
class GroupeRegion:
    region: Region
    lignes: list[LigneDepartement]
    stats: Stats

    @property
    def manquantes(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.manquante)


@dataclass
class Comparaison:
    indicateur: IndicateurNational
    region: Region | None  # périmètre : une région, ou None pour la France entière
    regions: list[GroupeRegion]
    stats: Stats

    @property
    def lignes(self) -> list[LigneDepartement]:
        return [ligne for groupe in self.regions for ligne in groupe.lignes]

    @property
    def manquantes(self) -> int:
        return sum(groupe.manquantes for groupe in self.regions)

    @property
    def alertes(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.alertes)


def indicateurs_de(generation: Generation):
    return IndicateurNational.objects.filter(generation=generation).order_by("libelle")


def generation_courante() -> Generation:
    """La génération la plus récente du référentiel (2025-2027)."""
    return Generation.objects.order_by("-code").first()


@dataclass(frozen=True, slots=True)
class ValeurLue:
    """Une valeur lue pour la comparaison : un tuple nommé, pas un objet du modèle (des
    milliers par page à l'échelle nationale)."""

    indicateur_national_id: int
    departement_id: int
    annee: int
    semestre: int
    pk: int
    valeur: Decimal | None
    source: str

    @property
    def periode_cle(self) -> tuple[int, int]:
        return (self.annee, self.semestre)

    @property
    def periode_libelle(self) -> str:
        return f"{self.annee} S{self.semestre}" if self.semestre else str(self.annee)


def _valeurs(
    indicateurs, *, user, region: Region | None, departement_de: dict[int, int]
) -> list[ValeurLue]:
    """Les valeurs des indicateurs de fiche rattachés à ces indicateurs nationaux, dans les
    contrats que `user` peut voir (filtre dans la requête, jamais après), en tuples ; la
    valeur comparée est celle du suivi (`suivi.models.principal_value`).

    La dernière valeur est choisie par contrat, et le département de chaque contrat lu
    dans `departement_de` ({contrat : département}) : sous SQLite, lire le département
    dans la ligne du contrat parcourait sa version signée (une centaine de Ko rangée
    avant la colonne) pour chaque valeur, 150 ms à l'échelle nationale."""
    contrats = Contrat.objects.visibles_par(user).filter(
        generation_id__in={i.generation_id for i in indicateurs}
    )
    if region is not None:
        contrats = contrats.filter(departement__region=region)
    national, contrat = F("indicateur__indicateur_national_id"), F("indicateur__fiche__contrat_id")
    rows = (
        ValeurIndicateur.objects.filter(
            indicateur__indicateur_national__in=indicateurs,
            indicateur__fiche__contrat__in=contrats.values("pk"),
        )
        # Seule la dernière valeur de chaque département sort de la base (période, puis
        # saisie la plus récente : la clé croît avec la saisie) ; une valeur a toujours
        # une valeur principale (contrainte « valeur_ou_taux »).
        .annotate(
            rang=Window(
                RowNumber(),
                partition_by=[national, contrat],
                order_by=[F("annee").desc(), Coalesce("semestre", 0).desc(), F("pk").desc()],
            )
        )
        .filter(rang=1)
        .order_by()
        .values_list(
            "indicateur__indicateur_national_id",
            "indicateur__fiche__contrat_id",
            "annee",
            "semestre",
            "pk",
            "valeur",
            "numerateur",
            "denominateur",
            "indicateur__unite",
            "source",
        )
    )
    rates = {u for u in Unite if u.est_taux}
    return [
        ValeurLue(
            national,
            departement_de[contrat],
            annee,
            semestre or 0,
            pk,
            principal_value(valeur, num, den, rate_unit=unite in rates),
            source,
        )
        for national, contrat, annee, semestre, pk, valeur, num, den, unite, source in rows
    ]


def _latest_by_departement(valeurs: list[ValeurLue]) -> dict[int, ValeurLue]:
    """La dernière valeur (période, puis saisie la plus récente : la clé croît avec la
    saisie, sans lire ni convertir des milliers de dates) de chaque département."""
    latest: dict[int, ValeurLue] = {}
    key = lambda v: (v.periode_cle, v.pk)  # noqa: E731
    for valeur in valeurs:
        if valeur.valeur is None:
            continue
        current = latest.get(valeur.departement_id)
        if current is None or key(valeur) > key(current):
            latest[valeur.departement_id] = valeur
    return latest


_ZERO, _CENT = Decimal(0), Decimal(100)


def _alertes(est_taux: bool, value: Decimal, fences) -> list[str]:
    alertes = []
    if est_taux and not _ZERO <= value <= _CENT:
        alertes.append(ALERTE_TAUX)
    elif value < _ZERO:
        alertes.append(ALERTE_NEGATIVE)
    if fences is not None and not fences[0] <= value <= fences[1]:
        alertes.append(ALERTE_LOIN)
    return alertes


def _valeurs_par_indicateur(indicateurs, *, user, region: Region | None):
    """Les valeurs lues pour ces indicateurs nationaux, par indicateur, et les
    départements qui ont un contrat visible."""
    departement_de = dict(
        Contrat.objects.visibles_par(user)
        .filter(generation_id__in={i.generation_id for i in indicateurs})
        .values_list("pk", "departement_id")
    )
    valeurs = _valeurs(indicateurs, user=user, region=region, departement_de=departement_de)
    by_indicateur = defaultdict(list)
    for valeur in valeurs:
        by_indicateur[valeur.indicateur_national_id].append(valeur)
    return by_indicateur, set(departement_de.values())


def comparaison_for(
    indicateurs: list[IndicateurNational], *, user, region: Region | None
) -> dict[int, Comparaison]:
    """Une comparaison par indicateur national, pour les départements du périmètre."""
    departements = list(
        Departement.objects.select_related("region").order_by("region__nom", "code")
    )
    if region is not None:
        departements = [d for d in departements if d.region_id == region.pk]
    by_indicateur, contrats = _valeurs_par_indicateur(indicateurs, user=user, region=region)
    return {
        indicateur.pk: _comparaison(
            indicateur, by_indicateur[indicateur.pk], departements, contrats, region
        )
        for indicateur in indicateurs
    }


@dataclass
class Synthese:
    """Ce que la liste des indicateurs montre d'une comparaison (effectif, médiane,
    quartiles, valeurs manquantes, valeurs à vérifier), sans ses rangées : les mêmes
    nombres que `Comparaison`, calculés sur les dernières valeurs seules."""

    stats: Stats
    manquantes: int
    alertes: int


def syntheses_for(
    indicateurs: list[IndicateurNational], *, user, region: Region | None
) -> dict[int, Synthese]:
    """Une synthèse par indicateur national, pour les départements du périmètre (la
    liste des indicateurs : dix comparaisons d'une centaine de départements, sans une
    rangée par département)."""
    departements = Departement.objects.order_by()
    if region is not None:
        departements = departements.filter(region=region)
    pks = list(departements.values_list("pk", flat=True))
    by_indicateur, _ = _valeurs_par_indicateur(indicateurs, user=user, region=region)
    return {
        indicateur.pk: _synthese(indicateur, by_indicateur[indicateur.pk], pks)
        for indicateur in indicateurs
    }


def _synthese(indicateur, valeurs, departements: list[int]) -> Synthese:
    latest = _latest_by_departement(valeurs)
    stats = Stats.of([v.valeur for v in latest.values()])
    fences, est_taux = stats.fences(), indicateur.est_taux
    lues = [latest[pk] for pk in departements if pk in latest]
    return Synthese(
        stats,
        manquantes=len(departements) - len(lues),
        alertes=sum(1 for v in lues if _alertes(est_taux, v.valeur, fences)),
    )


def _comparaison(indicateur, valeurs, departements, contrats, region) -> Comparaison:
    latest = _latest_by_departement(valeurs)
    stats = Stats.of([v.valeur for v in latest.values()])
    fences = stats.fences()
    est_taux = indicateur.est_taux  # une fois par indicateur, pas une par valeur
    groupes: dict[int, GroupeRegion] = {}
    for departement in departements:
        pk, region_id = departement.id, departement.region_id  # .pk passe par une propriété
        ligne = LigneDepartement(departement, a_contrat=pk in contrats, indicateur=indicateur)
        valeur = latest.get(pk)
        if valeur is not None:
            ligne.valeur = valeur.valeur
            ligne.annee = valeur.annee
            ligne.periode = valeur.periode_libelle
            ligne.source = valeur.source
            ligne.alertes = _alertes(est_taux, ligne.valeur, fences)
        groupe = groupes.get(region_id)
        if groupe is None:
            groupe = groupes[region_id] = GroupeRegion(departement.region, [], Stats())
        groupe.lignes.append(ligne)
    for groupe in groupes.values():
        groupe.stats = Stats.of([ligne.valeur for ligne in groupe.lignes if not ligne.manquante])
    return Comparaison(indicateur, region, list(groupes.values()), stats)

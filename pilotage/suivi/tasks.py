"""Tâches d'une personne : collectes à faire, relevés qui attendent sa relecture ou sa
validation, et les rubriques des applications en aval (comptes rendus de réunion à
valider…). Sert la page « Mes tâches » et les rappels par courriel.

Une application en aval ajoute sa rubrique par `register(Rubrique(...))` au démarrage
(`AppConfig.ready`) : `suivi` ne l'importe pas."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from pilotage.contrats.models import Contrat, Habilitation

from .models import PlanCollecte, Releve

HORIZON_JOURS = 30


@dataclass(frozen=True)
class Rubrique:
    """Une rubrique de « Mes tâches » apportée par une application en aval."""

    key: str
    #: (user, today) -> les éléments en attente de cette personne
    collect: Callable[..., list]
    #: gabarits qui reçoivent `items` : en tête de la page, à la fin du rappel par courriel
    page_template: str
    rappel_template: str


RUBRIQUES: list[Rubrique] = []


def register(rubrique: Rubrique) -> Rubrique:
    if all(r.key != rubrique.key for r in RUBRIQUES):
        RUBRIQUES.append(rubrique)
    return rubrique


@dataclass
class Taches:
    collectes_en_retard: list = field(default_factory=list)
    collectes_a_venir: list = field(default_factory=list)
    a_relire: list = field(default_factory=list)
    a_valider: list = field(default_factory=list)
    a_partager: list = field(default_factory=list)
    #: [(rubrique, éléments)] des applications en aval, dans l'ordre d'enregistrement
    rubriques: list = field(default_factory=list)

    def __getattr__(self, name):
        # `taches.comptes_rendus` : les éléments d'une rubrique par sa clé.
        for rubrique, items in self.__dict__.get("rubriques", ()):
            if rubrique.key == name:
                return items
        raise AttributeError(name)

    @property
    def total(self) -> int:
        own = (
            self.collectes_en_retard,
            self.collectes_a_venir,
            self.a_relire,
            self.a_valider,
            self.a_partager,
        )
        return sum(len(x) for x in own) + sum(len(items) for _r, items in self.rubriques)


def taches_de(user, today: datetime.date) -> Taches:
    taches = Taches()
    plans = (
        PlanCollecte.objects.filter(
            referent_collecte=user,
            prochaine_echeance__lte=today + datetime.timedelta(days=HORIZON_JOURS),
            indicateur__fiche__contrat__in=Contrat.objects.visibles_par(user),
        )
        .select_related("indicateur__fiche__contrat__departement")
        .order_by("prochaine_echeance")
    )
    for plan in plans:
        target = (
            taches.collectes_en_retard
            if plan.prochaine_echeance < today
            else taches.collectes_a_venir
        )
        target.append(plan)
    roles = Habilitation.objects.filter(user=user)
    active = roles.exclude(role=Habilitation.Role.LECTEUR).values("contrat")
    validator = roles.filter(role=Habilitation.Role.VALIDATEUR).values("contrat")
    sharer = roles.filter(role__in=[Habilitation.Role.VALIDATEUR, Habilitation.Role.PILOTE]).values(
        "contrat"
    )
    releves = Releve.objects.select_related("fiche__contrat__departement", "auteur").order_by(
        "date_observation"
    )
    if user.institution_id:
        taches.a_relire = list(
            releves.filter(
                statut=Releve.Statut.BROUILLON,
                institution_id=user.institution_id,
                fiche__contrat__in=active,
            ).exclude(auteur=user)
        )
    same_institution = (
        Q(institution_id=user.institution_id) if user.institution_id else Q(pk__in=[])
    )
    taches.a_valider = list(
        releves.filter(statut=Releve.Statut.RELU, fiche__contrat__in=validator)
        .filter(same_institution)
        .exclude(auteur=user)
    )
    taches.a_partager = list(
        releves.filter(statut=Releve.Statut.VALIDE, fiche__contrat__in=sharer).filter(
            same_institution
        )
    )
    taches.rubriques = [(r, r.collect(user, today)) for r in RUBRIQUES]
    return taches

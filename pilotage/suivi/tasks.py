"""Tâches d'une personne : collectes à faire, relevés qui attendent sa relecture ou sa
validation, comptes rendus de réunion à valider pour son institution. Sert la page
« Mes tâches » et les rappels par courriel."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from pilotage.contrats.models import Contrat, Habilitation

from .models import PlanCollecte, Releve

HORIZON_JOURS = 30


@dataclass
class Taches:
    collectes_en_retard: list = field(default_factory=list)
    collectes_a_venir: list = field(default_factory=list)
    a_relire: list = field(default_factory=list)
    a_valider: list = field(default_factory=list)
    a_partager: list = field(default_factory=list)
    comptes_rendus: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(x)
            for x in (
                self.collectes_en_retard,
                self.collectes_a_venir,
                self.a_relire,
                self.a_valider,
                self.a_partager,
                self.comptes_rendus,
            )
        )


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
    if user.institution_id:
        # Les réunions sont en aval du suivi : import au moment de l'appel.
        from pilotage.reunions.models import Reunion

        pilote_de = roles.filter(role=Habilitation.Role.PILOTE).values("contrat")
        taches.comptes_rendus = list(
            Reunion.objects.filter(statut=Reunion.Statut.EN_VALIDATION, contrat__in=pilote_de)
            .exclude(validations__institution_id=user.institution_id)
            .select_related("contrat__departement")
            .order_by("date")
        )
    return taches

"""Lectures des pages « Personnes et droits » et « Périmètres », en un nombre fixe de
requêtes."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from pilotage.core import history
from pilotage.core.models import Revision
from pilotage.territoires.models import Institution

from ..invitations import Invitation
from ..models import Contrat, FicheAction, Habilitation
from ..roles import ROLES_SECOND_FACTOR, Role


def institutions_du_contrat(contrat: Contrat):
    """Institutions du département du contrat, de sa région, et nationales."""
    region_id = contrat.departement.region_id
    return Institution.objects.filter(
        Q(departement_id=contrat.departement_id)
        | Q(departement__isnull=True, region_id=region_id)
        | Q(departement__isnull=True, region__isnull=True)
    ).order_by("nom")


@dataclass
class Acces:
    habilitation: Habilitation
    fiches: list[int]  # numéros des fiches dont la personne est référent


_ROLE_ORDER = Case(
    *(When(role=value, then=Value(rank)) for rank, value in enumerate(Role.values)),
    output_field=IntegerField(),
)


def acces_du_contrat(contrat: Contrat) -> list[Acces]:
    """Les habilitations du contrat (personne, institution), pilotes d'abord, avec les
    fiches de chaque référent : deux requêtes."""
    habilitations = (
        Habilitation.objects.filter(contrat=contrat)
        .select_related("user__institution")
        .annotate(rang=_ROLE_ORDER)
        .order_by("rang", "user__last_name", "user__first_name", "user__email")
    )
    links = FicheAction.referents.through.objects.filter(ficheaction__contrat=contrat).values_list(
        "user_id", "ficheaction__numero"
    )
    fiches = defaultdict(list)
    for user_id, numero in links:
        fiches[user_id].append(numero)
    return [
        Acces(h, sorted(fiches[h.user_id]) if h.role == Role.REFERENT else [])
        for h in habilitations
    ]


def invitations_ouvertes(contrat: Contrat) -> list[Invitation]:
    """Invitations ni acceptées ni révoquées (en attente ou expirées) du contrat."""
    return list(
        Invitation.objects.filter(contrat=contrat)
        .ouvertes()
        .select_related("institution", "invited_by")
        .prefetch_related(Prefetch("fiches", queryset=FicheAction.objects.only("id", "numero")))
        .order_by("-sent_at", "-pk")
    )


def revisions_acces(contrat: Contrat) -> list[Revision]:
    """L'historique des droits du contrat (révisions qui visent le contrat)."""
    return history.revisions_for_display(Revision.objects.for_object(contrat))


def perimetres_elargis():
    """Comptes de périmètre régional ou national."""
    User = get_user_model()
    return (
        User.objects.filter(perimetre__in=[User.Perimetre.REGIONAL, User.Perimetre.NATIONAL])
        .select_related("institution", "region")
        .order_by("perimetre", "region__nom", "last_name", "first_name", "email")
    )


def exige_second_facteur(user) -> bool:
    """Pilote ou validateur d'au moins un contrat (`comptes.second_factor`)."""
    return Habilitation.objects.filter(user=user, role__in=ROLES_SECOND_FACTOR).exists()


#: Contrats nommés dans la raison du second facteur, au plus.
RAISON_CONTRATS_MAX = 3


def raison_second_facteur(user) -> str:
    """Pourquoi `exige_second_facteur` : « votre rôle « Pilote du contrat » sur le
    Contrat 2025-2027 – Creuse » (`comptes.second_factor`)."""
    habilitations = list(
        Habilitation.objects.filter(user=user, role__in=ROLES_SECOND_FACTOR)
        .select_related("contrat__generation", "contrat__departement")
        .order_by("contrat__departement__code", "-contrat__generation__annee_debut", "role")[
            : RAISON_CONTRATS_MAX + 1
        ]
    )
    if not habilitations:
        return ""
    parts = [f"« {h.get_role_display()} » sur le {h.contrat}" for h in habilitations]
    more = " et sur d'autres contrats" if len(parts) > RAISON_CONTRATS_MAX else ""
    return f"votre rôle {', '.join(parts[:RAISON_CONTRATS_MAX])}{more}"

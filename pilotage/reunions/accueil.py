"""Blocs de la page d'accueil apportés par les réunions (`core.attente`) : les
prochaines réunions et les décisions encore ouvertes des contrats que la personne voit.
Chaque bloc coûte un nombre fixe de requêtes, quel que soit le nombre de contrats."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F

from pilotage.contrats.adresses import adresses
from pilotage.contrats.models import Contrat

from .models import Decision, Reunion

#: Nombre d'éléments montrés par bloc ; le reste est compté et lié.
LIMITE = 5


@dataclass(frozen=True)
class DecisionsOuvertes:
    items: list
    total: int
    #: [(contrat_id, nom du département, nombre, lien vers la liste filtrée)]
    par_contrat: list


def prochaines_reunions(user, today: datetime.date | None = None) -> list[Reunion]:
    """Les prochaines réunions (non annulées) des contrats visibles, la plus proche d'abord."""
    return list(
        Reunion.objects.a_venir()
        .filter(contrat__in=Contrat.objects.visibles_par(user))
        .select_related("contrat__departement")
        .order_by("date", "pk")[:LIMITE]
    )


def decisions_ouvertes(user, today: datetime.date | None = None) -> DecisionsOuvertes:
    """Les décisions de réunion encore ouvertes des contrats visibles, l'échéance la plus
    proche d'abord (sans échéance : à la fin), et leur nombre par contrat (avec le lien
    vers la liste filtrée, construit une fois pour tous)."""
    ouvertes = (
        Decision.objects.ouvertes()
        .filter(point__reunion__contrat__in=Contrat.objects.visibles_par(user))
        .exclude(point__reunion__statut=Reunion.Statut.ANNULEE)
    )
    par_contrat = list(
        ouvertes.order_by()
        .values_list("point__reunion__contrat_id", "point__reunion__contrat__departement__nom")
        .annotate(nombre=Count("pk", distinct=True))
        .order_by("point__reunion__contrat__departement__nom")
    )
    # Les cinq premières, avec les seules colonnes montrées ; le département de chacune
    # vient du compte par contrat (deux jointures de moins).
    items = list(
        ouvertes.select_related("point__fiche", "point__reunion")
        .only(
            "texte",
            "echeance",
            "point__fiche__numero",
            "point__fiche__numero_texte",
            "point__reunion__contrat_id",
        )
        .order_by(F("echeance").asc(nulls_last=True), "point__reunion__date", "pk")[:LIMITE]
    )
    departements = {contrat_id: nom for contrat_id, nom, _n in par_contrat}
    for decision in items:
        decision.departement = departements[decision.point.reunion.contrat_id]
    liste = adresses("reunions:decisions")
    return DecisionsOuvertes(
        items=items,
        total=sum(n for _c, _d, n in par_contrat),
        par_contrat=[(c, d, n, f"{liste(c)}?statut=ouvertes") for c, d, n in par_contrat],
    )

"""Légendes de l'historique : ce qu'une application en aval affiche sous une révision.

L'historique (`Revision`) est dans `core` ; les applications qui produisent des révisions
(l'import de documents, les décisions de réunion) savent seules d'où elles viennent.
Chacune enregistre ici, au démarrage (`AppConfig.ready`), une `Legende` : le gabarit rendu
sous la révision, les relations à charger avec les révisions et une préparation en lot.
Ainsi `contrats` et `referentiel` affichent l'historique sans importer les applications
en aval, en un nombre fixe de requêtes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Revision


@dataclass(frozen=True)
class Legende:
    #: Gabarit rendu sous la révision ; il reçoit `revision`.
    template: str
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    #: Préparation des révisions chargées, en lot (une requête pour toutes, pas une par ligne).
    prepare: Callable[[list[Revision]], None] | None = None


LEGENDES: list[Legende] = []


def register(legende: Legende) -> Legende:
    if legende not in LEGENDES:
        LEGENDES.append(legende)
    return legende


def revisions_for_display(queryset) -> list[Revision]:
    """Les révisions, avec leurs lignes, leur auteur et ce que leurs légendes affichent."""
    select = ["user__institution", *(p for leg in LEGENDES for p in leg.select_related)]
    prefetch = ["changes", *(p for leg in LEGENDES for p in leg.prefetch_related)]
    revisions = list(queryset.select_related(*select).prefetch_related(*prefetch))
    for legende in LEGENDES:
        if legende.prepare is not None:
            legende.prepare(revisions)
    return revisions


def templates() -> Iterable[str]:
    return [legende.template for legende in LEGENDES]

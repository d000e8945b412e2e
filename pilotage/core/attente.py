"""Ce qui attend une personne : les blocs de la page d'accueil et le compteur « Mes
tâches » du menu principal.

La page d'accueil (`contrats`) et le menu (gabarit commun) ne connaissent pas les
applications en aval qui savent ce qui attend : celles-ci s'inscrivent au démarrage
(`AppConfig.ready`) :

- `register_bloc(Bloc(...))` : un bloc de la page d'accueil, un gabarit qui reçoit
  `bloc` (le contexte rendu par `collect(user, today)`), en un nombre fixe de requêtes ;
- `register_compteur(fonction)` : `(user, today) -> int`, le nombre de tâches de la
  personne, en une requête (il est calculé sur chaque page).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bloc:
    key: str
    #: ordre d'affichage sur la page d'accueil (croissant)
    ordre: int
    #: (user, today) -> contexte du gabarit (None : rien à montrer)
    collect: Callable[..., object]
    template: str


BLOCS: list[Bloc] = []
COMPTEURS: list[Callable[..., int]] = []


def register_bloc(bloc: Bloc) -> Bloc:
    if all(b.key != bloc.key for b in BLOCS):
        BLOCS.append(bloc)
        BLOCS.sort(key=lambda b: b.ordre)
    return bloc


def register_compteur(function: Callable[..., int]) -> Callable[..., int]:
    if function not in COMPTEURS:
        COMPTEURS.append(function)
    return function


def blocs_de(user, today: datetime.date) -> list[tuple[Bloc, object]]:
    """Les blocs de la page d'accueil de cette personne, avec leur contenu."""
    return [(bloc, bloc.collect(user, today)) for bloc in BLOCS]


def nombre_taches(user, today: datetime.date) -> int:
    return sum(compteur(user, today) for compteur in COMPTEURS)

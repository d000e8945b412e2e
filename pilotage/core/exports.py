"""Contributions à l'export JSON d'un contrat.

Chaque application ajoute ses données à l'export sans que `contrats` la connaisse :
elle enregistre une fonction `(contrat, data, refs)` au démarrage (AppConfig.ready).
`refs["indicateurs"]` relie l'id d'un indicateur à son dictionnaire dans `data`.
"""

from collections.abc import Callable

CONTRIBUTORS: list[Callable] = []


def register(function: Callable) -> Callable:
    if function not in CONTRIBUTORS:
        CONTRIBUTORS.append(function)
    return function

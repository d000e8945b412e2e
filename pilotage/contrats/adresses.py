"""Adresses répétées sur une page (une par fiche : liste du contrat, ordre du jour d'une
réunion, dossier) : un seul `reverse` pour toutes, au lieu d'un `{% url %}` par ligne
(issue 15)."""

from collections.abc import Callable

from django.urls import reverse

#: Numéro témoin, remplacé par celui de chaque fiche dans l'adresse résolue une fois.
_TEMOIN = 987654321


def adresses_des_fiches(contrat_pk: int) -> Callable[[int], str]:
    """L'adresse de la fiche n° `numero` du contrat, la même que
    `reverse("contrats:fiche", args=[contrat_pk, numero])`, résolue une fois pour toutes
    les fiches d'une page."""
    avant, apres = reverse("contrats:fiche", args=[contrat_pk, _TEMOIN]).rsplit(str(_TEMOIN), 1)
    return lambda numero: f"{avant}{int(numero)}{apres}"

"""Arrivée d'une personne qui n'a pas encore de compte (connexion ProConnect).

`comptes` ne sait pas ce qui autorise quelqu'un à entrer : ce sont les invitations,
gérées plus haut (`contrats`). Chaque application qui peut faire entrer une personne
enregistre ici, au démarrage (`AppConfig.ready`), une fonction
`(*, email: str, claims: dict) -> User | None` qui crée le compte et lui donne ses droits
si elle l'y autorise, ou rend `None`. Sans aucune réponse, la personne voit la page
« demandez à un pilote de votre contrat de vous inviter » au lieu d'un compte vide.
"""

from collections.abc import Callable

Claimer = Callable[..., object]

CLAIMERS: list[Claimer] = []


def register(claimer: Claimer) -> Claimer:
    if claimer not in CLAIMERS:
        CLAIMERS.append(claimer)
    return claimer


def claim(*, email: str, claims: dict):
    """Le compte créé par la première application qui fait entrer cette personne, ou None."""
    for claimer in CLAIMERS:
        user = claimer(email=email, claims=claims)
        if user is not None:
            return user
    return None

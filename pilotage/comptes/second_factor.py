"""Qui doit avoir une double authentification (TOTP) sur un compte local.

Les rôles sur un contrat (pilote, validateur) sont dans `contrats`, au-dessus de
`comptes` : `contrats` enregistre ici, au démarrage (`AppConfig.ready`), une fonction
`(user) -> bool` qui dit si l'utilisateur tient un tel rôle. Le personnel de
l'administration et les périmètres régional et national l'exigent toujours.
"""

from collections.abc import Callable

REQUIREMENTS: list[Callable[[object], bool]] = []


def register(requirement: Callable[[object], bool]) -> Callable[[object], bool]:
    if requirement not in REQUIREMENTS:
        REQUIREMENTS.append(requirement)
    return requirement


def required_for(user) -> bool:
    """Vrai si ce compte local doit présenter un second facteur."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.est_national or user.est_regional:
        return True
    return any(requirement(user) for requirement in REQUIREMENTS)

"""Qui doit avoir une double authentification (TOTP) sur un compte local, et pourquoi.

Les rôles sur un contrat (pilote, validateur) sont dans `contrats`, au-dessus de
`comptes` : `contrats` enregistre ici, au démarrage (`AppConfig.ready`), une fonction
`(user) -> bool` qui dit si l'utilisateur tient un tel rôle, et une fonction
`(user) -> str` qui le dit en français (« votre rôle … sur le contrat … »). Le personnel
de l'administration et les périmètres régional et national l'exigent toujours.

L'obligation ne s'applique que si `OTP_REQUIRED` est en place (`enforced_reasons`).
"""

from collections.abc import Callable

from django.conf import settings

REQUIREMENTS: list[Callable[[object], bool]] = []
#: Pour une exigence enregistrée, la fonction qui dit pourquoi elle s'applique.
EXPLANATIONS: dict[Callable[[object], bool], Callable[[object], str]] = {}
DEFAULT_REASON = "votre rôle sur un contrat"


def register(
    requirement: Callable[[object], bool], explain: Callable[[object], str] | None = None
) -> Callable[[object], bool]:
    if requirement not in REQUIREMENTS:
        REQUIREMENTS.append(requirement)
    if explain is not None:
        EXPLANATIONS[requirement] = explain
    return requirement


def required_for(user) -> bool:
    """Vrai si ce compte local doit présenter un second facteur."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.est_national or user.est_regional:
        return True
    return any(requirement(user) for requirement in REQUIREMENTS)


def reasons_for(user) -> list[str]:
    """Pourquoi ce compte doit présenter un second facteur, en français, à placer après
    « en raison de » (liste vide : il ne le doit pas)."""
    if not user.is_authenticated:
        return []
    reasons = []
    if user.is_staff or user.is_superuser:
        reasons.append("votre accès à l'administration du site")
    if user.est_national:
        reasons.append("votre périmètre national")
    if user.est_regional:
        region = getattr(user, "region", None)
        reasons.append(f"votre périmètre régional{f' ({region})' if region else ''}")
    for requirement in REQUIREMENTS:
        if requirement(user):
            explain = EXPLANATIONS.get(requirement)
            reasons.append((explain(user) if explain else "") or DEFAULT_REASON)
    return reasons


def enforced_reasons(user) -> list[str]:
    """`reasons_for`, si l'obligation est en place sur ce site (`OTP_REQUIRED`)."""
    return reasons_for(user) if settings.OTP_REQUIRED else []

"""Écritures sur les comptes."""

from django.db import transaction

from pilotage.core import recherche

from .models import User

#: Longueur maximale d'un prénom ou d'un nom (champs `first_name`, `last_name`).
NOM_MAX = 150


def _claim_text(claims: dict, key: str) -> str:
    value = claims.get(key)
    return value.strip()[:NOM_MAX] if isinstance(value, str) else ""


@transaction.atomic
def user_proconnect_link(*, user: User, sub: str, claims: dict) -> User:
    """Relie le compte à son identifiant ProConnect (`sub`) et reprend le prénom
    (`given_name`) et le nom d'usage (`usual_name`) donnés par ProConnect ; un nom absent
    ou qui n'est pas du texte ne remplace pas celui du compte. Rend le compte."""
    changed = []
    if user.proconnect_sub != sub:
        user.proconnect_sub = sub
        changed.append("proconnect_sub")
    for field, key in (("first_name", "given_name"), ("last_name", "usual_name")):
        value = _claim_text(claims, key)
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    if {"first_name", "last_name"} & set(changed):
        recherche.index_object(user)  # son nom figure dans les fiches dont il est référent
    return user

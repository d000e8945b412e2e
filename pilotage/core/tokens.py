"""Jetons opaques d'une adresse envoyée ou montrée une fois (invitation, flux d'agenda).

Une suite aléatoire de 256 bits (`secrets.token_urlsafe`) qui ne dit rien de la personne ;
seule son empreinte SHA-256 est gardée en base, si bien qu'une copie de la base ne donne
aucun lien valable.
"""

import hashlib
import secrets

#: Longueur maximale acceptée d'un jeton lu dans une adresse (un vrai en fait 43).
JETON_LONGUEUR_MAX = 64


def jeton_nouveau() -> str:
    return secrets.token_urlsafe(32)


def jeton_empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()

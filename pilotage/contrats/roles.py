"""Rôles d'une personne sur un contrat (habilitation, invitation).

Dans un module à part pour que le modèle `Invitation` (`contrats.invitations`) les
emploie sans importer `contrats.models`, qui l'importe lui-même.
"""

from django.db import models


class Role(models.TextChoices):
    PILOTE = "pilote", "Pilote du contrat"
    REFERENT = "referent", "Référent de fiche"
    CONTRIBUTEUR = "contributeur", "Contributeur"
    VALIDATEUR = "validateur", "Validateur"
    LECTEUR = "lecteur", "Lecteur"


#: Rôles qui exigent une double authentification sur un compte local (comptes.second_factor).
ROLES_SECOND_FACTOR = (Role.PILOTE, Role.VALIDATEUR)

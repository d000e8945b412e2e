"""Écritures du suivi : saisie des valeurs d'indicateurs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pilotage.contrats.models import Indicateur

from .models import ValeurIndicateur


@transaction.atomic
def valeur_create(
    *,
    indicateur: Indicateur,
    user,
    annee: int,
    semestre: int | None = None,
    valeur: Decimal | None = None,
    numerateur: Decimal | None = None,
    denominateur: Decimal | None = None,
    taux_indique: Decimal | None = None,
    source: str = "",
    commentaire: str = "",
) -> ValeurIndicateur:
    """Enregistre une valeur datée ; une valeur existante n'est jamais modifiée."""
    if indicateur.nature != Indicateur.Nature.QUANTITATIF:
        raise ValidationError("Seuls les indicateurs quantitatifs reçoivent des valeurs chiffrées.")
    if valeur is None and (numerateur is None or denominateur is None):
        raise ValidationError(
            "Indiquez une valeur, ou un numérateur et un dénominateur pour un taux."
        )
    if denominateur is not None and denominateur <= 0:
        raise ValidationError({"denominateur": "Le dénominateur doit être supérieur à zéro."})
    entry = ValeurIndicateur(
        indicateur=indicateur,
        annee=annee,
        semestre=semestre,
        valeur=valeur,
        numerateur=numerateur,
        denominateur=denominateur,
        taux_indique=taux_indique,
        source=source,
        commentaire=commentaire,
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    entry.full_clean()
    entry.save()
    return entry

"""Écritures du suivi : valeurs d'indicateurs, relevés qualitatifs et leur validation."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pilotage.contrats.models import FicheAction, Habilitation, Indicateur
from pilotage.contrats.permissions import can_record_values, roles_on

from .models import Releve, ReleveEtape, ValeurIndicateur


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


# --- Relevés qualitatifs et leur validation -------------------------------------------

S = Releve.Statut


def _step(releve: Releve, action: str, user, commentaire: str = "") -> None:
    ReleveEtape.objects.create(releve=releve, action=action, user=user, commentaire=commentaire)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _is_validator(user, releve: Releve) -> bool:
    roles = roles_on(user, releve.fiche.contrat)
    return user.is_superuser or Habilitation.Role.VALIDATEUR in roles


@transaction.atomic
def releve_create(*, fiche: FicheAction, user, **fields) -> Releve:
    """Rédige un relevé (brouillon) sur un indicateur qualitatif de la fiche."""
    _require(
        can_record_values(user, fiche), "Vous ne pouvez pas rédiger de relevé sur cette fiche."
    )
    indicateur = fields.get("indicateur")
    if indicateur is None or indicateur.fiche_id != fiche.pk or indicateur.nature != "qualitatif":
        raise ValidationError({"indicateur": "Choisissez un indicateur qualitatif de cette fiche."})
    releve = Releve(fiche=fiche, auteur=user, institution_id=user.institution_id, **fields)
    releve.full_clean()
    releve.save()
    _step(releve, ReleveEtape.Action.CREATION, user)
    return releve


@transaction.atomic
def releve_relire(*, releve: Releve, user, commentaire: str = "") -> Releve:
    """Relecture par une seconde personne (binôme), de l'institution de l'auteur."""
    _require(releve.statut == S.BROUILLON, "Seul un brouillon peut être relu.")
    _require(
        user.pk != releve.auteur_id, "La relecture est faite par une autre personne que l'auteur."
    )
    active_roles = roles_on(user, releve.fiche.contrat) - {Habilitation.Role.LECTEUR}
    _require(
        bool(active_roles) and user.institution_id == releve.institution_id,
        "La relecture est faite par un collègue de l'auteur habilité sur le contrat.",
    )
    releve.statut = S.RELU
    releve.save(update_fields=["statut"])
    _step(releve, ReleveEtape.Action.RELECTURE, user, commentaire)
    return releve


@transaction.atomic
def releve_valider(*, releve: Releve, user, commentaire: str = "") -> Releve:
    """Validation par un validateur (chef de service, référent d'objectif)."""
    _require(releve.statut == S.RELU, "Le relevé doit d'abord être relu par un binôme.")
    _require(_is_validator(user, releve), "Seul un validateur du contrat peut valider un relevé.")
    _require(user.pk != releve.auteur_id, "On ne valide pas son propre relevé.")
    releve.statut = S.VALIDE
    releve.save(update_fields=["statut"])
    _step(releve, ReleveEtape.Action.VALIDATION, user, commentaire)
    return releve


@transaction.atomic
def releve_renvoyer(*, releve: Releve, user, commentaire: str) -> Releve:
    """Renvoie le relevé à son auteur (brouillon), avec un commentaire obligatoire."""
    _require(
        releve.statut in (S.RELU, S.VALIDE), "Seul un relevé relu ou validé peut être renvoyé."
    )
    _require(_is_validator(user, releve), "Seul un validateur du contrat peut renvoyer un relevé.")
    if not commentaire.strip():
        raise ValidationError({"commentaire": "Expliquez à l'auteur ce qu'il faut reprendre."})
    releve.statut = S.BROUILLON
    releve.save(update_fields=["statut"])
    _step(releve, ReleveEtape.Action.RENVOI, user, commentaire)
    return releve


@transaction.atomic
def releve_partager(*, releve: Releve, user) -> Releve:
    """Partage un relevé validé avec les autres institutions du contrat."""
    _require(releve.statut == S.VALIDE, "Seul un relevé validé peut être partagé.")
    roles = roles_on(user, releve.fiche.contrat)
    _require(
        _is_validator(user, releve) or Habilitation.Role.PILOTE in roles,
        "Seul un validateur ou un pilote peut partager un relevé.",
    )
    releve.statut = S.PARTAGE
    releve.save(update_fields=["statut"])
    _step(releve, ReleveEtape.Action.PARTAGE, user)
    return releve

"""Séance : notes par encart (une par personne) et décisions consignées."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Habilitation
from pilotage.core.services import ConflitDeVersion

from ..models import (
    Decision,
    NoteSeance,
    PointOrdreDuJour,
    Reunion,
)
from .application import changement_check
from .planning import _check_pilote, rangs_set

# --- Séance : notes et décisions -------------------------------------------------


def reunions_rangs(reunions) -> None:
    """Calcule en une requête le rang dans l'année (« 2026 – réunion 2 ») de quelques
    réunions, pour qu'une liste (historique d'une fiche) n'en fasse pas une par réunion.
    Même règle que `rangs_set`, appliquée à toutes les réunions de leurs contrats et années.

    Lecture seule : pose `_rang`, que `Reunion.rang` utilise s'il est présent."""
    reunions = [r for r in reunions if r is not None]
    if not reunions:
        return
    loaded = list(
        Reunion.objects.filter(
            contrat_id__in={r.contrat_id for r in reunions},
            date__year__in={r.annee for r in reunions},
        ).only("pk", "contrat_id", "date", "statut")
    )
    by_contrat: dict[int, list[Reunion]] = {}
    for reunion in loaded:
        by_contrat.setdefault(reunion.contrat_id, []).append(reunion)
    for same_contrat in by_contrat.values():
        rangs_set(same_contrat)
    rangs = {r.pk: r._rang for r in loaded}
    for reunion in reunions:
        if reunion.pk in rangs:
            reunion._rang = rangs[reunion.pk]


def can_take_notes(user, reunion: Reunion) -> bool:
    """Pilotes et référents de fiche du contrat prennent des notes en séance."""
    roles = permissions.roles_on(user, reunion.contrat)
    return user.is_superuser or bool(roles & {Habilitation.Role.PILOTE, Habilitation.Role.REFERENT})


def seance_verrou(reunion: Reunion) -> str:
    """Pourquoi plus rien ne peut être consigné dans la séance ; chaîne vide sinon.

    Pendant la validation du compte rendu, notes et décisions ne bougent plus : ce que
    les pilotes valident est ce qu'ils ont lu. Une demande de modifications rouvre la
    séance (statut « tenue »)."""
    if reunion.est_figee:
        return (
            "Le compte rendu de cette réunion est validé : la réunion ne peut plus être "
            "modifiée (la séance reste consultable)."
        )
    if reunion.statut == Reunion.Statut.ANNULEE:
        return "Cette réunion a été annulée : rien ne peut y être consigné."
    if reunion.statut == Reunion.Statut.EN_VALIDATION:
        return (
            "Le compte rendu est en cours de validation : notes et décisions ne changent "
            "plus. Pour les modifier, un pilote demande des modifications depuis le "
            "compte rendu."
        )
    return ""


def _check_writable(reunion: Reunion, user=None) -> None:
    if user is not None and not can_take_notes(user, reunion):
        raise PermissionError("Seuls les pilotes et les référents du contrat consignent la séance.")
    if message := seance_verrou(reunion):
        raise ValidationError(message)


@transaction.atomic
def note_save(*, point: PointOrdreDuJour, encart: str, auteur, texte: str) -> NoteSeance:
    """Enregistre la note de `auteur` dans un encart : chacun n'écrit que dans la sienne."""
    _check_writable(point.reunion, auteur)
    if encart not in NoteSeance.Encart.values:
        raise ValidationError("Encart inconnu.")
    note, _created = NoteSeance.objects.select_for_update().get_or_create(
        point=point, encart=encart, auteur=auteur
    )
    if note.texte != texte:
        note.texte = texte
        note.save(update_fields=["texte", "updated_at"])
    return note


DECISION_FIELDS = ["categorie", "texte", "porteur", "echeance", "changement"]


@transaction.atomic
def decision_create(*, point: PointOrdreDuJour, auteur, fields: dict[str, Any]) -> Decision:
    """Consigne une décision prise en séance sur une fiche."""
    _check_writable(point.reunion, auteur)
    decision = Decision(point=point, auteur=auteur)
    for name, value in fields.items():
        if name not in DECISION_FIELDS:
            raise TypeError(f"Champ inconnu : {name}")
        setattr(decision, name, value)
    decision.changement = decision.changement or {}
    decision.full_clean(exclude=["point", "changement"])
    changement_check(decision=decision)
    decision.save()
    return decision


@transaction.atomic
def decision_update(
    *, decision: Decision, user, expected_version: int, fields: dict[str, Any]
) -> Decision:
    """Modifie une décision si personne ne l'a changée depuis `expected_version`."""
    _check_writable(decision.point.reunion, user)
    if decision.est_appliquee:
        raise ValidationError("Cette décision a déjà été appliquée à la fiche : elle est figée.")
    updated = Decision.objects.filter(pk=decision.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflitDeVersion(decision, expected_version, quoi="Cette décision")
    decision = Decision.objects.select_related("point__fiche", "point__reunion").get(pk=decision.pk)
    for name, value in fields.items():
        if name not in DECISION_FIELDS:
            raise TypeError(f"Champ inconnu : {name}")
        setattr(decision, name, value)
    decision.changement = decision.changement or {}
    decision.full_clean(exclude=["point", "changement"])
    changement_check(decision=decision)
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, user) -> None:
    _check_writable(decision.point.reunion, user)
    if decision.est_appliquee:
        raise ValidationError("Une décision appliquée à la fiche ne peut pas être supprimée.")
    decision.delete()


@transaction.atomic
def decision_close(*, decision: Decision, user, commentaire: str = "") -> Decision:
    """Clôt une décision (réalisée ou abandonnée) : elle ne revient plus à l'ordre du jour."""
    _check_pilote(user, decision.point.reunion.contrat)
    if not decision.est_ouverte:
        return decision
    decision.statut = Decision.Statut.CLOSE
    decision.close_le = timezone.now()
    decision.close_par = user
    decision.commentaire_cloture = commentaire.strip()[:1000]
    decision.save(update_fields=["statut", "close_le", "close_par", "commentaire_cloture"])
    return decision


@transaction.atomic
def decision_reopen(*, decision: Decision, user) -> Decision:
    """Rouvre une décision close : elle revient à l'ordre du jour de la réunion suivante."""
    _check_pilote(user, decision.point.reunion.contrat)
    decision.statut = Decision.Statut.OUVERTE
    decision.close_le = None
    decision.close_par = None
    decision.save(update_fields=["statut", "close_le", "close_par"])
    return decision

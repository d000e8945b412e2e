"""Séance : notes par encart (une par personne) et décisions consignées."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pilotage.core import recherche
from pilotage.core.free_text import text_length_check, without_control_characters
from pilotage.core.personal_data import detect
from pilotage.core.services import ConflitDeVersion, personal_data_confirmations_record

from ..models import (
    Decision,
    NoteSeance,
    PointOrdreDuJour,
    Reunion,
)
from .application import changement_check
from .historique import decision_deletion_record, decision_history_record, decision_snapshot
from .planning import _check_pilote

# --- Séance : notes et décisions -------------------------------------------------


def _check_writable(reunion: Reunion, user=None) -> None:
    if user is not None and not reunion.peut_prendre_notes(user):
        raise PermissionDenied(
            "Seuls les pilotes et les référents du contrat consignent la séance."
        )
    if message := reunion.verrou_seance:
        raise ValidationError(message)


def _check_modifiable(decision: Decision, user) -> None:
    """Les mêmes droits qu'en séance (`Decision.peut_modifier`), quel que soit le chemin."""
    _check_writable(decision.point.reunion, user)
    if user is not None and not decision.peut_modifier(user):
        raise PermissionDenied(
            "Seuls les pilotes du contrat et l'auteur de la décision, référent de la fiche, "
            "modifient ou suppriment une décision."
        )


@transaction.atomic
def note_save(
    *, point: PointOrdreDuJour, encart: str, auteur, texte: str, confirme: bool = False
) -> NoteSeance:
    """Enregistre la note de `auteur` dans un encart : chacun n'écrit que dans la sienne.

    La note n'est partagée (vue des autres participants et du compte rendu) que si elle ne
    contient aucun passage qui ressemble à des données personnelles, ou si son auteur le
    confirme (`confirme`, tracé) ; sinon les autres continuent de voir la version partagée
    précédente. Les caractères de contrôle invisibles (NUL…) sont retirés ; au-delà du
    plafond des notes (`TEXT_LIMITS["note"]`), rien n'est enregistré (ValidationError)."""
    _check_writable(point.reunion, auteur)
    if encart not in NoteSeance.Encart.values:
        raise ValidationError("Encart inconnu.")
    texte = without_control_characters(texte)
    text_length_check(texte, "note")
    note, _created = NoteSeance.objects.select_for_update().get_or_create(
        point=point, encart=encart, auteur=auteur
    )
    findings = detect(texte)
    partage = note.texte_partage
    if not findings or confirme:
        partage = texte
    if note.texte != texte or note.texte_partage != partage:
        note.texte, note.texte_partage = texte, partage
        note.save(update_fields=["texte", "texte_partage", "updated_at"])
    if findings and confirme:
        personal_data_confirmations_record(
            user=auteur, target=note, confirmations={"texte": findings}
        )
    recherche.index_object(note)
    return note


DECISION_FIELDS = ["categorie", "texte", "porteur", "echeance", "changement"]


def _decision_save(
    decision: Decision, fields: dict[str, Any], *, user, confirmations: dict | None
) -> Decision:
    """Pose les champs saisis, valide la décision et son changement, l'enregistre, puis
    trace les confirmations de données personnelles de `user`."""
    for name, value in fields.items():
        if name not in DECISION_FIELDS:
            raise TypeError(f"Champ inconnu : {name}")
        setattr(decision, name, value)
    decision.changement = decision.changement or {}
    decision.full_clean(exclude=["point", "changement"])
    changement_check(decision=decision)
    decision.save()
    personal_data_confirmations_record(user=user, target=decision, confirmations=confirmations)
    recherche.index_object(decision)
    return decision


@transaction.atomic
def decision_create(
    *, point: PointOrdreDuJour, auteur, fields: dict[str, Any], confirmations: dict | None = None
) -> Decision:
    """Consigne une décision prise en séance sur une fiche (et les confirmations de données
    personnelles de son auteur)."""
    _check_writable(point.reunion, auteur)
    if auteur is not None and not point.peut_consigner(auteur):
        raise PermissionDenied(
            "Seuls les pilotes du contrat et les référents de cette fiche y consignent "
            "des décisions."
        )
    decision = Decision(point=point, auteur=auteur)
    decision = _decision_save(decision, fields, user=auteur, confirmations=confirmations)
    decision_history_record(decision=decision, user=auteur, before={}, comment="Décision consignée")
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    user,
    expected_version: int,
    fields: dict[str, Any],
    confirmations: dict | None = None,
) -> Decision:
    """Modifie une décision si personne ne l'a changée depuis `expected_version`."""
    _check_modifiable(decision, user)
    if decision.est_appliquee:
        raise ValidationError("Cette décision a déjà été appliquée à la fiche : elle est figée.")
    updated = Decision.objects.filter(pk=decision.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflitDeVersion(decision, expected_version, quoi="Cette décision")
    decision = Decision.objects.select_related("point__fiche", "point__reunion").get(pk=decision.pk)
    before = decision_snapshot(decision)
    decision = _decision_save(decision, fields, user=user, confirmations=confirmations)
    decision_history_record(
        decision=decision, user=user, before=before, comment="Décision modifiée"
    )
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, user) -> None:
    """Supprime une décision non appliquée ; sa trace reste dans l'historique de la réunion."""
    _check_modifiable(decision, user)
    if decision.est_appliquee:
        raise ValidationError("Une décision appliquée à la fiche ne peut pas être supprimée.")
    decision_deletion_record(decision=decision, user=user)
    recherche.unindex_object(decision)
    decision.delete()


@transaction.atomic
def decision_close(
    *, decision: Decision, user, commentaire: str = "", confirmations: dict | None = None
) -> Decision:
    """Clôt une décision (réalisée ou abandonnée) : elle ne revient plus à l'ordre du jour."""
    _check_pilote(user, decision.point.reunion.contrat)
    personal_data_confirmations_record(user=user, target=decision, confirmations=confirmations)
    if not decision.est_ouverte:
        return decision
    before = decision_snapshot(decision)
    decision.statut = Decision.Statut.CLOSE
    decision.close_le = timezone.now()
    decision.close_par = user
    decision.commentaire_cloture = commentaire.strip()[:1000]
    decision.save(update_fields=["statut", "close_le", "close_par", "commentaire_cloture"])
    decision_history_record(decision=decision, user=user, before=before, comment="Décision close")
    recherche.index_object(decision)  # commentaire de clôture
    return decision


@transaction.atomic
def decision_reopen(*, decision: Decision, user) -> Decision:
    """Rouvre une décision close : elle revient à l'ordre du jour de la réunion suivante."""
    _check_pilote(user, decision.point.reunion.contrat)
    if decision.est_ouverte:
        return decision
    before = decision_snapshot(decision)
    decision.statut = Decision.Statut.OUVERTE
    decision.close_le = None
    decision.close_par = None
    decision.save(update_fields=["statut", "close_le", "close_par"])
    decision_history_record(
        decision=decision, user=user, before=before, comment="Décision rouverte"
    )
    recherche.index_object(decision)  # plus trouvée par son commentaire de clôture
    return decision

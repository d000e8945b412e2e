"""Écritures du suivi : valeurs d'indicateurs, relevés qualitatifs et leur validation."""

import calendar
import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import FicheAction, Indicateur
from pilotage.contrats.permissions import (
    can_edit_fiche,
    can_record_values,
    users_who_can_record_values,
)
from pilotage.core import recherche
from pilotage.core.courriels import courriel_envoyer
from pilotage.core.services import ConflitDeVersion, personal_data_confirmations_record

from .models import (
    RELEVE_TRANSITIONS,
    PlanCollecte,
    Rappel,
    Releve,
    ReleveEtape,
    Trace,
    ValeurIndicateur,
)
from .tasks import taches_de

#: Refus d'une saisie sur un indicateur retiré du contrat (`Indicateur.retire_le`).
RETIRE = "Cet indicateur a été retiré du contrat : il ne reçoit plus de nouvelle saisie."


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
    confirmations: dict | None = None,
) -> ValeurIndicateur:
    """Enregistre une valeur datée ; une valeur existante n'est jamais modifiée. Les
    confirmations de données personnelles du commentaire sont tracées avec elle.
    Il faut pouvoir saisir des chiffres sur la fiche (`can_record_values`), sinon
    `PermissionDenied` ; `user=None` : écriture du système (démonstration, commande),
    sans personne dont vérifier le droit."""
    if user is not None and not can_record_values(user, indicateur.fiche):
        raise PermissionDenied("Vous ne pouvez pas saisir de valeurs sur cette fiche.")
    if indicateur.nature != Indicateur.Nature.QUANTITATIF:
        raise ValidationError("Seuls les indicateurs quantitatifs reçoivent des valeurs chiffrées.")
    if indicateur.retire_le is not None:
        raise ValidationError(RETIRE)
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
    personal_data_confirmations_record(user=user, target=entry, confirmations=confirmations)
    plan_collecte_advance(indicateur=indicateur, today=timezone.localdate())
    return entry


# --- Relevés qualitatifs et leur validation -------------------------------------------

#: L'étape tracée pour chaque transition du circuit.
STEP_OF = {
    "relire": ReleveEtape.Action.RELECTURE,
    "valider": ReleveEtape.Action.VALIDATION,
    "renvoyer": ReleveEtape.Action.RENVOI,
    "partager": ReleveEtape.Action.PARTAGE,
}


def _step(releve: Releve, action: str, user, commentaire: str = "") -> None:
    ReleveEtape.objects.create(releve=releve, action=action, user=user, commentaire=commentaire)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _check_action(releve: Releve, user, action: str) -> None:
    """`user` peut-il franchir cette étape maintenant (statut, puis personne :
    `Releve.refus`) ?"""
    reason = releve.refus(user, action)
    _require(not reason, reason)


def _advance(releve: Releve, action: str, user, commentaire: str, confirmations) -> Releve:
    """Franchit l'étape : nouveau statut, étape tracée, confirmations de l'auteur tracées."""
    releve.statut = RELEVE_TRANSITIONS[action].vers
    releve.save(update_fields=["statut"])
    _step(releve, STEP_OF[action], user, commentaire)
    personal_data_confirmations_record(user=user, target=releve, confirmations=confirmations)
    recherche.index_object(releve)  # validé : cherchable ; renvoyé : retiré
    return releve


@transaction.atomic
def releve_create(
    *,
    fiche: FicheAction,
    user,
    confirmations: dict | None = None,
    nouvel_indicateur: str = "",
    **fields,
) -> Releve:
    """Rédige un relevé (brouillon) sur un indicateur qualitatif de la fiche : un indicateur
    existant (`indicateur`) ou un nouveau, nommé par `nouvel_indicateur`, ajouté à la fiche
    (et à son historique) dans la même transaction."""
    _require(
        can_record_values(user, fiche), "Vous ne pouvez pas rédiger de relevé sur cette fiche."
    )
    nouvel_indicateur = nouvel_indicateur.strip()
    if nouvel_indicateur and fields.get("indicateur") is not None:
        raise ValidationError(
            "Choisissez un indicateur existant ou nommez-en un nouveau, pas les deux."
        )
    if nouvel_indicateur:
        fields["indicateur"] = _indicateur_qualitatif_add(fiche, user, nouvel_indicateur)
    indicateur = fields.get("indicateur")
    if indicateur is None or indicateur.fiche_id != fiche.pk or indicateur.nature != "qualitatif":
        raise ValidationError({"indicateur": "Choisissez un indicateur qualitatif de cette fiche."})
    if indicateur.retire_le is not None:
        raise ValidationError({"indicateur": RETIRE})
    releve = Releve(fiche=fiche, auteur=user, institution_id=user.institution_id, **fields)
    releve.full_clean()
    releve.save()
    _step(releve, ReleveEtape.Action.CREATION, user)
    personal_data_confirmations_record(user=user, target=releve, confirmations=confirmations)
    plan_collecte_advance(indicateur=indicateur, today=timezone.localdate())
    return releve


def _indicateur_qualitatif_add(fiche: FicheAction, user, libelle: str) -> Indicateur:
    try:
        return contrats_services.indicateur_add(
            fiche=fiche,
            user=user,
            nature=Indicateur.Nature.QUALITATIF,
            libelle=libelle,
            comment="Indicateur qualitatif nommé en rédigeant un relevé",
        )
    except ConflitDeVersion as exc:
        raise ValidationError(
            "La fiche vient d'être modifiée par une autre personne : enregistrez de nouveau."
        ) from exc
    except ValidationError as exc:
        messages = exc.message_dict.get("libelle") if hasattr(exc, "error_dict") else None
        raise ValidationError({"nouvel_indicateur": messages or exc.messages}) from exc


@transaction.atomic
def releve_relire(
    *, releve: Releve, user, commentaire: str = "", confirmations: dict | None = None
) -> Releve:
    """Relecture par une seconde personne (binôme), de l'institution de l'auteur."""
    _check_action(releve, user, "relire")
    return _advance(releve, "relire", user, commentaire, confirmations)


@transaction.atomic
def releve_valider(
    *, releve: Releve, user, commentaire: str = "", confirmations: dict | None = None
) -> Releve:
    """Validation par un validateur (chef de service, référent d'objectif), ni l'auteur
    ni la personne qui a relu."""
    _check_action(releve, user, "valider")
    return _advance(releve, "valider", user, commentaire, confirmations)


@transaction.atomic
def releve_renvoyer(
    *, releve: Releve, user, commentaire: str, confirmations: dict | None = None
) -> Releve:
    """Renvoie le relevé à son auteur (brouillon), avec un commentaire obligatoire."""
    _check_action(releve, user, "renvoyer")
    if not commentaire.strip():
        raise ValidationError({"commentaire": "Expliquez à l'auteur ce qu'il faut reprendre."})
    return _advance(releve, "renvoyer", user, commentaire, confirmations)


@transaction.atomic
def releve_partager(*, releve: Releve, user, confirmations: dict | None = None) -> Releve:
    """Partage un relevé validé avec les autres institutions du contrat."""
    _check_action(releve, user, "partager")
    return _advance(releve, "partager", user, "", confirmations)


# --- Plan de collecte et rappels ------------------------------------------------------


def _add_months(day, months: int):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def plan_collecte_set(
    *,
    indicateur: Indicateur,
    user,
    referent_collecte,
    methode: str,
    frequence: str,
    prochaine_echeance,
) -> PlanCollecte:
    """Crée ou modifie le plan de collecte d'un indicateur (pilote ou référent de la fiche)."""
    _require(
        can_edit_fiche(user, indicateur.fiche),
        "Seuls les pilotes et le référent de la fiche organisent la collecte.",
    )
    allowed = users_who_can_record_values(indicateur.fiche)
    if referent_collecte is None or not allowed.filter(pk=referent_collecte.pk).exists():
        raise ValidationError(
            {
                "referent_collecte": "Choisissez une personne qui peut saisir des valeurs sur "
                "cette fiche (pilote, référent de la fiche, contributeur ou validateur)."
            }
        )
    plan, _ = PlanCollecte.objects.get_or_create(
        indicateur=indicateur,
        defaults={
            "referent_collecte": referent_collecte,
            "methode": methode,
            "frequence": frequence,
            "prochaine_echeance": prochaine_echeance,
        },
    )
    plan.referent_collecte, plan.methode, plan.frequence = referent_collecte, methode, frequence
    plan.prochaine_echeance = prochaine_echeance
    plan.full_clean()
    plan.save()
    return plan


def plan_collecte_advance(*, indicateur: Indicateur, today) -> None:
    """Une collecte faite repousse l'échéance d'une période (si elle était proche ou passée)."""
    plan = PlanCollecte.objects.filter(indicateur=indicateur).first()
    if plan is None or plan.prochaine_echeance > today + datetime.timedelta(days=30):
        return
    months = PlanCollecte.MOIS[plan.frequence]
    echeance = plan.prochaine_echeance
    while echeance <= today:
        echeance = _add_months(echeance, months)
    if echeance == plan.prochaine_echeance:
        echeance = _add_months(echeance, months)
    plan.prochaine_echeance = echeance
    plan.save(update_fields=["prochaine_echeance"])


@transaction.atomic
def rappels_send(*, today, base_url: str | None = None) -> int:
    """Envoie un courriel à chaque personne qui a des tâches ; jamais deux le même jour.
    Les courriels partent par la file des tâches une fois les rappels enregistrés.

    Chaque tâche du courriel porte son lien (`base_url`, « https://hote », par défaut le
    réglage SITE_URL)."""
    base_url = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    User = get_user_model()
    candidates = (
        User.objects.filter(is_active=True)
        .filter(Q(collectes__isnull=False) | Q(habilitations__isnull=False))
        .distinct()
    )
    sent = 0
    for user in candidates:
        if Rappel.objects.filter(user=user, jour=today).exists():
            continue
        taches = taches_de(user, today)
        if not taches.total:
            continue
        body = render_to_string(
            "suivi/rappel.txt",
            {"user": user, "taches": taches, "today": today, "base_url": base_url},
        )
        courriel_envoyer(
            subject=f"Pilotage partagé : {taches.total} tâche(s) en attente",
            body=body,
            to=[user.email],
        )
        Rappel.objects.create(user=user, jour=today, nb_taches=taches.total)
        sent += 1
    return sent


TRACE_EXTENSIONS = {
    ".pdf",
    ".docx",
    ".odt",
    ".xlsx",
    ".ods",
    ".csv",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
}
TRACE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def trace_add(*, releve: Releve, user, filename: str, data: bytes) -> Trace:
    """Joint une pièce justificative à un relevé en brouillon (institution de l'auteur) :
    relu puis validé, le relevé ne reçoit plus de trace."""
    _require(releve.statut != Releve.Statut.PARTAGE, "Un relevé partagé ne se modifie plus.")
    _require(
        releve.accepte_traces,
        "Les traces se joignent à un brouillon : ce relevé a déjà été relu. Pour en ajouter "
        "une, demandez qu'il soit renvoyé à son auteur.",
    )
    _require(
        user.institution_id == releve.institution_id and can_record_values(user, releve.fiche),
        "Seule l'institution de l'auteur joint des traces à ce relevé.",
    )
    extension = Path(filename).suffix.lower()
    if extension not in TRACE_EXTENSIONS:
        raise ValidationError(
            "Format non accepté : joignez un PDF, un document Word ou OpenDocument, un tableur, "
            "un texte ou une image (JPG, PNG)."
        )
    if not data:
        raise ValidationError("Le fichier est vide.")
    if len(data) > TRACE_MAX_BYTES:
        raise ValidationError("Le fichier dépasse la taille maximale de 10 Mo.")
    trace = Trace(releve=releve, nom=filename[:255], taille=len(data), user=user)
    safe = re.sub(r"[^\w.-]+", "_", filename)[-100:] or "trace"
    trace.fichier.save(safe, ContentFile(data), save=False)
    trace.save()
    return trace

"""Documents déposés pour l'import : conservation, lecture (tout de suite ou en tâche de
fond, `lectures`), relance d'une lecture échouée, abandon."""

import hashlib
import re
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat

from . import lectures, tasks
from .importer import ImportErreur
from .models import DocumentImporte

Statut = DocumentImporte.Statut


@transaction.atomic
def document_store(
    *,
    contrat: Contrat,
    user,
    filename: str,
    data: bytes,
    statut: str = Statut.ANALYSE,
    lecture: bytes | None = None,
) -> DocumentImporte:
    """Conserve un fichier déposé : analysé (en attente de confirmation de l'import, avec
    sa lecture `lectures.empaqueter`) ou à lire en tâche de fond."""
    document = DocumentImporte(
        contrat=contrat,
        statut=statut,
        lecture=lecture,
        nom_original=filename[:255],
        taille=len(data),
        empreinte=hashlib.sha256(data).hexdigest(),
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    safe_name = re.sub(r"[^\w.-]+", "_", filename)[-100:] or "document"
    document.fichier.save(safe_name, ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def document_abandon(*, document: DocumentImporte) -> DocumentImporte:
    """Abandonne un import analysé mais non confirmé (le fichier reste consultable)."""
    document.statut = Statut.ABANDONNE
    document.lecture = None
    document.save(update_fields=["statut", "lecture"])
    return document


def _confier(document: DocumentImporte) -> None:
    """Confie la lecture à la file une fois la transaction validée (le travailleur lit ce
    qui a été enregistré)."""
    transaction.on_commit(partial(tasks.document_lire.enqueue, document.pk))


def _peut_importer(user, contrat) -> None:
    if not permissions.can_create_fiche(user, contrat):
        raise PermissionDenied("Seuls les pilotes du contrat peuvent importer des fiches.")


@transaction.atomic
def document_deposer(*, contrat: Contrat, user, filename: str, data: bytes) -> DocumentImporte:
    """Dépose un document à importer. Petit document : lu tout de suite, conservé analysé
    (refusé : `ValidationError` avec le message de l'analyse, rien n'est conservé). PDF ou
    gros document : contrôlé (type, taille, archive, flux), puis conservé « à lire », sa
    lecture confiée à la file."""
    _peut_importer(user, contrat)
    en_fond = lectures.en_fond(filename, len(data))
    try:
        if en_fond:
            lectures.controler(data, filename)
        lecture = None if en_fond else lectures.empaqueter(lectures.lire(contrat, data, filename))
    except ImportErreur as exc:
        raise ValidationError(str(exc)) from exc
    document = document_store(
        contrat=contrat,
        user=user,
        filename=filename,
        data=data,
        statut=Statut.A_LIRE if en_fond else Statut.ANALYSE,
        lecture=lecture,
    )
    if en_fond:
        _confier(document)
    return document


@transaction.atomic
def document_relire(*, document: DocumentImporte, user) -> DocumentImporte:
    """Relance la lecture d'un document dont la lecture a échoué ou s'est interrompue ;
    une lecture en route ou finie est rendue telle quelle."""
    _peut_importer(user, document.contrat)
    document = DocumentImporte.objects.select_for_update().get(pk=document.pk)
    if document.etat != Statut.ECHEC:
        return document
    document.statut = Statut.A_LIRE
    document.message = ""
    document.lecture_commencee_le = None
    document.save(update_fields=["statut", "message", "lecture_commencee_le"])
    _confier(document)
    return document

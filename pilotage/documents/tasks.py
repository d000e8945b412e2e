"""Lecture en tâche de fond des documents déposés pour l'import (django-tasks, travailleur
`manage.py db_worker` ; moteur `immediate` : sur-le-champ, dans la requête).

`document_lire` reçoit l'identifiant d'un document « à lire » confié à la file par
`depots.document_deposer` ou `depots.document_relire`. Elle le prend (à lire → en lecture, une
seule fois même si la tâche est confiée deux fois), le lit hors de toute transaction (un
PDF de 40 fiches prend une vingtaine de secondes), puis range l'issue : analysé, avec sa
lecture ; refusé, avec le message de l'analyse (PDF numérisé, protégé, endommagé…) ; ou
en échec, avec un message pour la page et la trace de la tâche (administration).
"""

import logging

from django.utils import timezone
from django_tasks import task

from . import lectures
from .importer import ImportErreur
from .models import DocumentImporte

logger = logging.getLogger(__name__)

Statut = DocumentImporte.Statut

MESSAGE_ECHEC = (
    "La lecture du document a échoué. Réessayez ; si l'échec se répète, prévenez "
    "l'administrateur du site (l'erreur est enregistrée)."
)


def _prendre(document_id: int) -> DocumentImporte | None:
    """Le document passé d'« à lire » à « en lecture », ou None si une autre tâche l'a
    déjà pris (une tâche confiée deux fois ne lit qu'une fois)."""
    pris = DocumentImporte.objects.filter(pk=document_id, statut=Statut.A_LIRE).update(
        statut=Statut.EN_LECTURE, lecture_commencee_le=timezone.now()
    )
    if not pris:
        return None
    return DocumentImporte.objects.select_related("contrat").get(pk=document_id)


def _terminer(document_id: int, statut: str, *, message: str = "", lecture=None) -> bool:
    """Range l'issue de la lecture, si le document est toujours en lecture (abandonné ou
    tenu pour interrompu et relancé entre-temps : rien n'est touché)."""
    return bool(
        DocumentImporte.objects.filter(pk=document_id, statut=Statut.EN_LECTURE).update(
            statut=statut, message=message[:500], lecture=lecture
        )
    )


@task()
def document_lire(document_id: int) -> int:
    """Lit un document à lire et range sa lecture ; renvoie le nombre de fiches lues (0 si
    le document n'était plus à lire, ou s'il est refusé)."""
    document = _prendre(document_id)
    if document is None:
        return 0
    try:
        with document.fichier.open("rb") as handle:
            data = handle.read()
        result = lectures.lire(
            document.contrat,
            data,
            document.nom_original,
            max_seconds=lectures.MAX_SECONDS_FOND,
        )
        paquet = lectures.empaqueter(result)
    except ImportErreur as exc:
        _terminer(document_id, Statut.REFUSE, message=str(exc))
        return 0
    except Exception:
        logger.exception("Lecture du document importé %s impossible", document_id)
        _terminer(document_id, Statut.ECHEC, message=MESSAGE_ECHEC)
        raise
    _terminer(document_id, Statut.ANALYSE, lecture=paquet)
    return len(result.fiches)

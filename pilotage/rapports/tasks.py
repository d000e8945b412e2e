"""Production des fichiers du rapport en tâche de fond (django-tasks, travailleur
`manage.py db_worker`).

`fichier_produire` reçoit l'identifiant d'une `GenerationFichier` confiée à la file par
`services.generation_demander` ou par l'arrêté. Elle la prend (en attente → en cours, une
seule fois même si la tâche est confiée deux fois), produit le fichier hors de toute
transaction (un PDF prend quelques secondes), puis le range : sur la version arrêtée,
depuis son contenu figé, ou sur la production elle-même pour la version en rédaction,
depuis les données et les textes du moment. Une erreur laisse la production en échec avec
un message pour la page, et la tâche en échec avec sa trace (administration).
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import selectors
from .content.fige import contenu_fige
from .formats import EXPORTERS
from .models import GenerationFichier, VersionArretee

logger = logging.getLogger(__name__)

Statut = GenerationFichier.Statut

MESSAGE_ECHEC = (
    "La production du fichier a échoué. Réessayez ; si l'échec se répète, prévenez "
    "l'administrateur du site (l'erreur est enregistrée)."
)


def nom_fichier(rapport, numero: int, fmt: str) -> str:
    """Nom proposé au téléchargement, daté de la version : « rapport-execution-23-2024-v1.pdf »."""
    code = rapport.contrat.departement.code
    return f"rapport-execution-{code}-{rapport.annee}-v{numero}.{fmt}"


def _prendre(generation_id: int) -> GenerationFichier | None:
    """La production passée d'en attente à en cours, ou None si une autre l'a déjà prise."""
    pris = GenerationFichier.objects.filter(pk=generation_id, statut=Statut.EN_ATTENTE).update(
        statut=Statut.EN_COURS, commence_le=timezone.now()
    )
    if not pris:
        return None
    return GenerationFichier.objects.select_related(
        "rapport__contrat__departement", "version_arretee"
    ).get(pk=generation_id)


def _octets(generation: GenerationFichier) -> bytes:
    rapport = generation.rapport
    if generation.version_arretee_id:
        content = contenu_fige(generation.version_arretee.contenu.get("calcule"))
    else:
        content = selectors.contenu_du_rapport(rapport)
        if content is None:
            raise ValueError("Contenu du rapport indisponible.")
    return EXPORTERS[generation.format](content)


@transaction.atomic
def _ranger(generation: GenerationFichier, data: bytes) -> None:
    nom = nom_fichier(generation.rapport, generation.version, generation.format)
    if generation.version_arretee_id:
        version = VersionArretee.objects.select_for_update().get(pk=generation.version_arretee_id)
        champ = getattr(version, f"fichier_{generation.format}")
        if not champ:  # posé une seule fois : un doublon de la tâche n'y touche pas
            champ.save(nom, ContentFile(data), save=False)
            version.save(update_fields=[f"fichier_{generation.format}"])
    else:
        generation.fichier.save(nom, ContentFile(data), save=False)
    generation.statut = Statut.PRETE
    generation.taille = len(data)
    generation.message = ""
    generation.termine_le = timezone.now()
    generation.save(update_fields=["fichier", "statut", "taille", "message", "termine_le"])


@task()
def fichier_produire(generation_id: int) -> int:
    """Produit et range le fichier d'une production en attente ; renvoie sa taille (0 si
    elle n'était plus en attente)."""
    generation = _prendre(generation_id)
    if generation is None:
        return 0
    try:
        data = _octets(generation)
        _ranger(generation, data)
    except Exception:
        logger.exception("Production du fichier %s impossible", generation_id)
        GenerationFichier.objects.filter(pk=generation_id).update(
            statut=Statut.ECHEC, message=MESSAGE_ECHEC, termine_le=timezone.now()
        )
        raise
    return len(data)

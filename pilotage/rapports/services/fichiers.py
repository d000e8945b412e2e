"""Fichiers du rapport d'exécution produits en tâche de fond : ceux d'une version arrêtée,
demandés à l'arrêté, et ceux que l'on demande depuis la page du rapport."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pilotage.contrats.models import Contrat

from .. import tasks
from ..formats import EXPORTERS
from ..models import FICHIERS, GenerationFichier, RapportExecution, VersionArretee

Statut = RapportExecution.Statut

#: Formats rangés sur une version arrêtée (`VersionArretee.fichier_<format>`).
FORMATS_FICHIERS = tuple(champ.removeprefix("fichier_") for champ in FICHIERS)


def _confier(generations) -> None:
    """Confie chaque production à la file une fois la transaction validée : une écriture
    annulée ne produit rien, et le travailleur lit ce qui a été enregistré."""
    for generation in generations:
        transaction.on_commit(partial(tasks.fichier_produire.enqueue, generation.pk))


def _fichiers_de_la_version(version: VersionArretee, user) -> None:
    """À l'arrêté : la production de chaque fichier de la version, depuis son contenu figé."""
    now = timezone.now()
    generations = GenerationFichier.objects.bulk_create(
        GenerationFichier(
            rapport=version.rapport,
            version_arretee=version,
            version=version.numero,
            format=fmt,
            demande_par=user,
            demande_le=now,
        )
        for fmt in FORMATS_FICHIERS
        if fmt in EXPORTERS
    )
    _confier(generations)


def _version_visee(rapport: RapportExecution, numero: int | None) -> VersionArretee | None:
    """La version arrêtée demandée, ou celle du rapport s'il est arrêté ; None : la
    version en rédaction."""
    if numero is None and rapport.statut == Statut.ARRETE:
        numero = rapport.version
    if numero is None:
        return None
    version = rapport.versions_arretees.filter(numero=numero).first()
    if version is None:
        raise ValidationError("Cette version du rapport n'a pas été arrêtée.")
    return version


@transaction.atomic
def generation_demander(
    *, rapport: RapportExecution, user, fmt: str, numero: int | None = None
) -> GenerationFichier:
    """Demande la production d'un fichier du rapport en tâche de fond : la version en
    rédaction (fichier refait depuis les données du moment) ou une version arrêtée
    (`numero`, ou le rapport arrêté : son fichier figé, s'il manque encore). Une
    production en attente ou en cours est rendue telle quelle : deux clics ne lancent
    pas deux productions. Qui voit le contrat peut demander un fichier, comme le télécharger."""
    if not Contrat.objects.visibles_par(user).filter(pk=rapport.contrat_id).exists():
        raise PermissionDenied("Vous ne voyez pas ce contrat.")
    if fmt not in FORMATS_FICHIERS or fmt not in EXPORTERS:
        raise ValidationError("Ce format de fichier n'est pas proposé.")
    version = _version_visee(rapport, numero)
    generation, created = GenerationFichier.objects.select_for_update().get_or_create(
        rapport=rapport,
        version_arretee=version,
        format=fmt,
        defaults={
            "version": version.numero if version else rapport.version,
            "demande_par": user,
            "demande_le": timezone.now(),
        },
    )
    deja_pret = version is not None and getattr(version, f"fichier_{fmt}")
    if not created and (generation.en_route or deja_pret):
        return generation
    if not created:
        ancien = generation.fichier.name
        if ancien:
            storage = generation.fichier.storage
            transaction.on_commit(partial(storage.delete, ancien))
        generation.fichier = ""
        generation.version = version.numero if version else rapport.version
        generation.statut = GenerationFichier.Statut.EN_ATTENTE
        generation.taille = None
        generation.message = ""
        generation.demande_par = user
        generation.demande_le = timezone.now()
        generation.commence_le = generation.termine_le = None
        generation.save()
    _confier([generation])
    return generation

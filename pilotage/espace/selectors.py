"""Lectures de l'espace partagé, en un nombre fixe de requêtes."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber

from .models import Abonnement, Actualite, Espace, Proposition, Ressource, Rubrique

#: Actualités montrées sur la page d'accueil d'un espace, les plus récentes d'abord.
ACTUALITES_ACCUEIL = 5
#: Ressources de chaque rubrique montrées sur l'accueil d'un espace (toutes par le filtre).
PAR_RUBRIQUE = 8
#: Ressources montrées dans le bloc « Ressources utiles » d'une fiche action.
RESSOURCES_UTILES = 6


@dataclass
class RubriqueAccueil:
    rubrique: Rubrique
    ressources: list = field(default_factory=list)
    total: int = 0

    @property
    def autres(self) -> int:
        return self.total - len(self.ressources)


def espace_accueil(espace: Espace, *, rubrique_id: int | None = None) -> dict:
    """Page d'accueil d'un espace : ressource du trimestre, ressources par rubrique (les
    `PAR_RUBRIQUE` plus récentes de chacune, toutes pour la rubrique `rubrique_id`),
    dernières actualités, propositions par statut. Un nombre fixe de requêtes, et un
    nombre borné de ressources lues, quel que soit le contenu de l'espace."""
    ressources = Ressource.objects.filter(espace=espace)
    totaux = dict(
        ressources.order_by()
        .values_list("rubrique_id")
        .annotate(n=Count("pk"))
        .values_list("rubrique_id", "n")
    )
    if rubrique_id:
        ressources = ressources.filter(rubrique_id=rubrique_id)
    else:
        rang = Window(
            RowNumber(),
            partition_by=[F("rubrique_id")],
            order_by=[F("date").desc(), F("pk").desc()],
        )
        ressources = ressources.annotate(rang=rang).filter(rang__lte=PAR_RUBRIQUE)
    rubriques = {
        r.pk: RubriqueAccueil(r, total=totaux.get(r.pk, 0)) for r in Rubrique.objects.all()
    }
    du_trimestre = None
    for ressource in ressources.pour_liste().order_by("-date", "-pk"):
        ressource.espace = espace
        rubriques[ressource.rubrique_id].ressources.append(ressource)
        if ressource.pk == espace.ressource_du_trimestre_id:
            du_trimestre = ressource
    if rubrique_id:
        du_trimestre = None  # mise en avant sur l'accueil seulement, pas dans une rubrique
    elif du_trimestre is None and espace.ressource_du_trimestre_id:
        du_trimestre = Ressource.objects.filter(pk=espace.ressource_du_trimestre_id).first()
    propositions = Proposition.objects.filter(espace=espace).aggregate(
        total=Count("pk"),
        ouvertes=Count(
            "pk", filter=Q(statut__in=[Proposition.Statut.RECUE, Proposition.Statut.A_L_ETUDE])
        ),
    )
    return {
        "rubriques": list(rubriques.values()),
        "du_trimestre": du_trimestre,
        "actualites": list(
            Actualite.objects.filter(espace=espace).select_related("auteur")[:ACTUALITES_ACCUEIL]
        ),
        "propositions": propositions,
    }


def ressources_utiles(user, objectif_ids) -> list[Ressource]:
    """Ressources liées à l'un des objectifs, parmi les espaces que `user` lit : les plus
    récentes d'abord, sans doublon. Une requête, avec la taille du dernier fichier
    (`avec_taille_courante`, plutôt que les fichiers préchargés par `pour_liste`) ; plus
    une pour les régions et une pour les départements qui nomment un espace régional ou
    départemental montré (jamais une par ressource), aucune pour l'espace national.

    Le lien aux objectifs est lu dans la table de liaison (sous-requête sans jointure ni
    DISTINCT) : pas de doublon, et un niveau d'imbrication de moins autour de
    `visibles_par`, dont Django renumérote chaque sous-requête à chaque niveau. Région
    et département de l'espace ne sont pas joints : sous PostgreSQL, deux tables de plus
    à côté de la condition de lecture doublent le temps de planification."""
    if not objectif_ids:
        return []
    liees = Ressource.objectifs.through.objects.filter(objectif_id__in=objectif_ids)
    ressources = list(
        Ressource.objects.visibles_par(user)
        .filter(pk__in=liees.values("ressource_id"))
        .select_related("rubrique", "auteur", "institution", "espace")
        .avec_taille_courante()
        .order_by("-date", "-pk")[:RESSOURCES_UTILES]
    )
    territoriaux = [r.espace for r in ressources if r.espace.niveau != Espace.Niveau.NATIONAL]
    if territoriaux:  # le nom de l'espace (`Espace.nom`) : celui de sa région ou de son département
        prefetch_related_objects(territoriaux, "region", "departement")
    return ressources


def espace_suivi(user, espace: Espace) -> bool:
    """Vrai si `user` suit `espace` (une requête)."""
    return Abonnement.objects.de(user).filter(espace=espace).exists()


def espaces_suivis(user) -> list[Espace]:
    """Les espaces que `user` suit et lit encore (un espace qu'il ne lit plus ne lui envoie
    rien et n'est pas montré). Une requête."""
    return list(
        Espace.objects.visibles_par(user)
        .filter(pk__in=Abonnement.objects.de(user).values("espace_id"))
        .select_related("region", "departement")
        .order_by("niveau", "region__nom", "departement__code")
    )

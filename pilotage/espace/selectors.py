"""Lectures de l'espace partagé, en un nombre fixe de requêtes."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Actualite, Espace, Proposition, Ressource, Rubrique

#: Actualités montrées sur la page d'accueil d'un espace, les plus récentes d'abord.
ACTUALITES_ACCUEIL = 5
#: Ressources montrées dans le bloc « Ressources utiles » d'une fiche action.
RESSOURCES_UTILES = 6


@dataclass
class RubriqueAccueil:
    rubrique: Rubrique
    ressources: list = field(default_factory=list)


def espace_accueil(espace: Espace, *, rubrique_id: int | None = None) -> dict:
    """Page d'accueil d'un espace : ressource du trimestre, ressources par rubrique (une
    rubrique si `rubrique_id`), dernières actualités, propositions par statut. Six
    requêtes, quel que soit le nombre de ressources."""
    ressources = Ressource.objects.filter(espace=espace).pour_liste()
    if rubrique_id:
        ressources = ressources.filter(rubrique_id=rubrique_id)
    rubriques = {r.pk: RubriqueAccueil(r) for r in Rubrique.objects.all()}
    du_trimestre = None
    for ressource in ressources:
        ressource.espace = espace
        rubriques[ressource.rubrique_id].ressources.append(ressource)
        if ressource.pk == espace.ressource_du_trimestre_id:
            du_trimestre = ressource
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
    récentes d'abord, sans doublon. Trois requêtes."""
    if not objectif_ids:
        return []
    pks = (
        Ressource.objects.visibles_par(user)
        .filter(objectifs__in=objectif_ids)
        .values("pk")
        .distinct()
    )
    return list(
        Ressource.objects.filter(pk__in=pks)
        .pour_liste()
        .order_by("-date", "-pk")[:RESSOURCES_UTILES]
    )

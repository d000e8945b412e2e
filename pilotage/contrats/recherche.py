"""Ce que `contrats` rend cherchable : fiches actions (toutes leurs rubriques) et
indicateurs, visibles de qui voit le contrat (`Contrat.objects.visibles_par`). Le texte
d'une fiche nomme ses référents : elle est réindexée quand l'un d'eux change de nom."""

from django.db.models import Q
from django.urls import reverse

from pilotage.core import recherche
from pilotage.referentiel.models import Objectif

from .models import Contrat, FicheAction, Indicateur, ordre_affiche, ordre_des_fiches
from .services import FICHE_LISTS, fiche_snapshot


def visible_contrat(user) -> Q:
    """Les lignes de l'index d'un contrat que l'utilisateur voit (sous-requête)."""
    return Q(contrat_id__in=Contrat.objects.visibles_par(user).values("pk"))


def portee(contrat: Contrat) -> dict:
    return {
        "contrat_id": contrat.pk,
        "departement_id": contrat.departement_id,
        "region_id": contrat.departement.region_id,
    }


def fiche_url(fiche: FicheAction) -> str:
    return reverse("contrats:fiche", args=[fiche.contrat_id, fiche.numero])


def fiche_document(fiche: FicheAction) -> recherche.Document:
    rubriques = fiche_snapshot(fiche)
    texte = "\n".join(valeur for _libelle, valeur in rubriques.values() if valeur)
    return recherche.Document(
        titre=f"{fiche} ({fiche.contrat.departement.nom})",
        texte=texte,
        url=fiche_url(fiche),
        objectifs=[o.pk for o in fiche.objectifs.all()],
        date=fiche.updated_at.date() if fiche.updated_at else None,
        **portee(fiche.contrat),
    )


def indicateur_document(indicateur: Indicateur) -> recherche.Document:
    fiche = indicateur.fiche
    return recherche.Document(
        titre=f"{indicateur.libelle[:300]} – fiche n°{fiche.numero_affiche}",
        texte=f"{indicateur.libelle}\n{indicateur.valeur_texte}\n{fiche.titre}",
        url=fiche_url(fiche),
        objectifs=[o.pk for o in fiche.objectifs.all()],
        date=fiche.updated_at.date() if fiche.updated_at else None,
        **portee(fiche.contrat),
    )


def _fiches():
    # Dans l'ordre des fiches : l'ordre d'inscription à l'index départage les résultats.
    return (
        FicheAction.objects.select_related("contrat__departement", "contrat__generation")
        .prefetch_related("objectifs", "referents", "fiche_beneficiaire", *FICHE_LISTS)
        .order_by(*ordre_affiche(FicheAction))
    )


def toutes_les_fiches():
    return _fiches().iterator(chunk_size=200)


def indicateurs_de_la_fiche(fiche: FicheAction):
    return fiche.indicateurs.select_related("fiche__contrat__departement")


def fiches_du_referent(user) -> list[FicheAction]:
    return list(_fiches().filter(referents=user))


def tous_les_indicateurs():
    # Dans l'ordre des fiches puis de la fiche : l'ordre d'inscription à l'index départage
    # les résultats de même rang et de même date.
    return (
        Indicateur.objects.select_related("fiche__contrat__departement")
        .prefetch_related("fiche__objectifs")
        .order_by(*ordre_des_fiches(), "nature", "ordre", "pk")
        .iterator(chunk_size=500)
    )


def choix_contrats(user) -> list[tuple[int, str]]:
    contrats = Contrat.objects.visibles_par(user).select_related("departement", "generation")
    return [(c.pk, f"{c.departement.nom} {c.generation.code}") for c in contrats]


def choix_objectifs(user) -> list[tuple[int, str]]:
    objectifs = Objectif.objects.select_related("generation").order_by("generation", "numero")
    return [(o.pk, f"{o.generation.code} – n°{o.numero or '-'} {o.titre[:80]}") for o in objectifs]


def register() -> None:
    recherche.register(
        recherche.Sorte(
            nom="fiche",
            libelle="Fiches actions",
            modeles=("contrats.FicheAction",),
            document=fiche_document,
            tous=toutes_les_fiches,
            visible=visible_contrat,
        )
    )
    recherche.register(
        recherche.Sorte(
            nom="indicateur",
            libelle="Indicateurs",
            modeles=("contrats.Indicateur",),
            document=indicateur_document,
            tous=tous_les_indicateurs,
            visible=visible_contrat,
        )
    )
    recherche.register_lies("contrats.FicheAction", indicateurs_de_la_fiche)
    recherche.register_lies("comptes.User", fiches_du_referent)
    recherche.register_choix("contrat", choix_contrats)
    recherche.register_choix("objectif", choix_objectifs)

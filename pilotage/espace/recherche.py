"""Ce que l'espace partagé rend cherchable : ressources, actualités et propositions,
visibles de qui lit leur espace (`Espace.objects.visibles_par`)."""

from django.db.models import Q
from django.urls import reverse

from pilotage.core import recherche

from .models import Actualite, Espace, Proposition, Ressource


def visible_espace(user) -> Q:
    return Q(espace_id__in=Espace.objects.visibles_par(user).values("pk"))


def _portee(espace: Espace) -> dict:
    return {
        "espace_id": espace.pk,
        "departement_id": espace.departement_id,
        "region_id": espace.region_id,
    }


def ressource_document(ressource: Ressource) -> recherche.Document:
    espace = ressource.espace
    return recherche.Document(
        titre=f"{ressource.titre} – {espace.nom}",
        texte=ressource.texte_recherche(),
        url=reverse("espace:ressource", args=[espace.cle, ressource.pk]),
        objectifs=[o.pk for o in ressource.objectifs.all()],
        date=ressource.date,
        **_portee(espace),
    )


def actualite_document(actualite: Actualite) -> recherche.Document:
    espace = actualite.espace
    return recherche.Document(
        titre=f"{actualite.titre} – {espace.nom}",
        texte=actualite.texte_recherche(),
        url=reverse("espace:espace", args=[espace.cle]),
        date=actualite.date,
        **_portee(espace),
    )


def proposition_document(proposition: Proposition) -> recherche.Document:
    espace = proposition.espace
    return recherche.Document(
        titre=f"{proposition.titre} – {espace.nom}",
        texte=proposition.texte_recherche(),
        url=reverse("espace:proposition", args=[espace.cle, proposition.pk]),
        date=proposition.created_at.date(),
        **_portee(espace),
    )


def register() -> None:
    for nom, libelle, modele, document, tous in (
        (
            "ressource",
            "Ressources",
            Ressource,
            ressource_document,
            lambda: Ressource.objects.select_related("espace").prefetch_related("objectifs"),
        ),
        (
            "actualite",
            "Actualités",
            Actualite,
            actualite_document,
            lambda: Actualite.objects.select_related("espace"),
        ),
        (
            "proposition",
            "Propositions",
            Proposition,
            proposition_document,
            lambda: Proposition.objects.select_related("espace"),
        ),
    ):
        recherche.register(
            recherche.Sorte(
                nom=nom,
                libelle=libelle,
                modeles=(modele._meta.label,),
                document=document,
                tous=tous,
                visible=visible_espace,
            )
        )

"""Ce que `suivi` rend cherchable : les relevés validés. Un relevé validé n'est vu que de
l'institution de son auteur jusqu'à son partage (`ReleveQuerySet.visibles_par`) : la ligne
de l'index porte alors cette institution. Le document reprend le titre et les objectifs de
la fiche : les relevés sont réindexés avec elle (`register_lies`)."""

from django.db.models import Q
from django.urls import reverse

from pilotage.contrats.recherche import portee, visible_contrat
from pilotage.core import recherche

from .models import Releve

CHERCHABLES = (Releve.Statut.VALIDE, Releve.Statut.PARTAGE)


def releve_document(releve: Releve) -> recherche.Document | None:
    if releve.statut not in CHERCHABLES:
        return None
    fiche = releve.fiche
    texte = "\n".join(
        [releve.situation, releve.questions, releve.faits, releve.ameliorations, fiche.titre]
    )
    partage = releve.statut == Releve.Statut.PARTAGE
    return recherche.Document(
        titre=f"{releve} – fiche n°{fiche.numero_affiche}",
        texte=texte,
        url=reverse("suivi:releve", args=[fiche.contrat_id, releve.pk]),
        objectifs=[o.pk for o in fiche.objectifs.all()],
        date=releve.date_observation,
        institution_id=None if partage else releve.institution_id,
        **portee(fiche.contrat),
    )


def visible(user) -> Q:
    restriction = Q(institution_id__isnull=True)
    if user.institution_id:
        restriction |= Q(institution_id=user.institution_id)
    return visible_contrat(user) & restriction


def de_la_fiche(fiche) -> list[Releve]:
    return list(
        Releve.objects.filter(fiche=fiche, statut__in=CHERCHABLES)
        .select_related("fiche__contrat__departement")
        .prefetch_related("fiche__objectifs")
    )


def register() -> None:
    recherche.register(
        recherche.Sorte(
            nom="releve",
            libelle="Relevés validés",
            modeles=("suivi.Releve",),
            document=releve_document,
            tous=lambda: (
                Releve.objects.filter(statut__in=CHERCHABLES)
                .select_related("fiche__contrat__departement")
                .prefetch_related("fiche__objectifs")
                .iterator(chunk_size=500)
            ),
            visible=visible,
        )
    )
    recherche.register_lies("contrats.FicheAction", de_la_fiche)

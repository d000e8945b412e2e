"""Ce que `rapports` rend cherchable : les rapports d'exécution (titre et textes rédigés
de leurs rubriques), visibles de qui voit le contrat."""

from django.urls import reverse

from pilotage.contrats.models import ordre_affiche
from pilotage.contrats.recherche import portee, visible_contrat
from pilotage.core import recherche

from .models import RapportExecution, SectionRapport


def rapport_document(rapport: RapportExecution) -> recherche.Document:
    contrat = rapport.contrat
    # Lues à neuf : un rapport passé au service peut porter des sections préchargées.
    textes = SectionRapport.objects.filter(rapport=rapport).exclude(texte="").order_by("pk")
    return recherche.Document(
        titre=f"{rapport.titre} – {contrat.departement.nom}",
        texte="\n".join(textes.values_list("texte", flat=True)),
        url=reverse("rapports:rapport", args=[contrat.pk, rapport.annee]),
        date=(rapport.valide_le or rapport.soumis_le or rapport.created_at).date(),
        **portee(contrat),
    )


def register() -> None:
    recherche.register(
        recherche.Sorte(
            nom="rapport",
            libelle="Rapports",
            modeles=("rapports.RapportExecution",),
            document=rapport_document,
            tous=lambda: (
                RapportExecution.objects.select_related("contrat__departement")
                .order_by(*ordre_affiche(RapportExecution))  # l'ordre d'inscription départage
                .iterator(chunk_size=100)
            ),
            visible=visible_contrat,
        )
    )

"""Rapport d'exécution en PDF accessible (PDF/UA-1 : balisé, langue, titre, vrais titres et
en-têtes de tableaux) rendu par WeasyPrint depuis `rapports/pdf/rapport.html`, avec le
même plan que le Word et l'OpenDocument (`plan`)."""

from django.template.loader import render_to_string

from pilotage.core.pdf import html_to_pdf

from ..content import RapportContent
from ..formats import register
from . import plan


def _engagements(content: RapportContent) -> list[dict]:
    annee = content.entete.annee
    return [
        {
            "libelle": engagement.libelle,
            "objectifs": [
                {
                    "titre": plan.objectif_titre(objectif),
                    "lignes": plan.objectif_lignes(objectif),
                    "fiches": [
                        {
                            "titre": plan.fiche_titre(fiche),
                            "etat": plan.fiche_etat(fiche),
                            "rubriques": plan.fiche_rubriques(fiche, annee),
                        }
                        for fiche in map(content.fiche, objectif.fiches)
                    ],
                }
                for objectif in engagement.objectifs
            ],
        }
        for engagement in content.engagements
    ]


@register("pdf")
def export_pdf(content: RapportContent) -> bytes:
    html = render_to_string(
        "rapports/pdf/rapport.html",
        {
            "title": plan.titre(content),
            "entete": plan.entete(content),
            "recapitulatif": plan.recapitulatif(content),
            "raisons": [
                {
                    "intitule": plan.raison_intitule(r),
                    "texte": plan.raison_texte(r),
                    "etapes": r.etapes,
                }
                for r in content.recapitulatif.raisons
            ],
            "engagements": _engagements(content),
            "incoherences": plan.incoherences(content),
            "annexe": plan.annexe(content),
            "titre_annexe": plan.ANNEXE,
            "aucun_financement": plan.AUCUN_FINANCEMENT,
            "titre_recapitulatif": plan.RECAPITULATIF,
            "titre_incoherences": plan.INCOHERENCES,
            "aucune_incoherence": plan.AUCUNE_INCOHERENCE,
        },
    )
    return html_to_pdf(html)

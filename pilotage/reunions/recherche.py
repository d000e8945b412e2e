"""Ce que `reunions` rend cherchable : décisions et notes de séance (le texte partagé
seulement : une note pas encore partagée par son auteur n'est pas cherchable), visibles de
qui voit le contrat. Leur document reprend le titre et les objectifs de la fiche, la date
de la réunion : elles sont réindexées avec la fiche et avec la réunion (`register_lies`)."""

from django.urls import reverse

from pilotage.contrats.models import ordre_affiche
from pilotage.contrats.recherche import portee, visible_contrat
from pilotage.core import recherche

from .models import Decision
from .notes import NoteSeance

CHARGER = ("point__reunion__contrat__departement", "point__fiche")


def _contexte(point) -> dict:
    fiche, reunion = point.fiche, point.reunion
    return {
        "objectifs": [o.pk for o in fiche.objectifs.all()],
        "date": reunion.date.date(),
        **portee(reunion.contrat),
    }


def decision_document(decision: Decision) -> recherche.Document:
    point = decision.point
    # Le commentaire de clôture n'est montré que sur une décision close : rouverte, elle
    # n'est plus trouvée par lui.
    cloture = "" if decision.est_ouverte else decision.commentaire_cloture
    texte = "\n".join([decision.texte, decision.porteur, cloture, point.fiche.titre])
    return recherche.Document(
        titre=f"Décision – {point}",
        texte=texte,
        url=reverse("reunions:decision", args=[point.reunion.contrat_id, decision.pk]),
        **_contexte(point),
    )


def note_document(note: NoteSeance) -> recherche.Document | None:
    if not note.texte_partage.strip():
        return None
    point = note.point
    reunion = point.reunion
    return recherche.Document(
        titre=f"Notes de séance – {point}",
        texte=f"{note.texte_partage}\n{point.fiche.titre}",
        url=reverse("reunions:seance", args=[reunion.contrat_id, reunion.pk]),
        **_contexte(point),
    )


def _decisions_et_notes(**filtre) -> list:
    decisions = Decision.objects.filter(**filtre).select_related(*CHARGER)
    notes = NoteSeance.objects.filter(**filtre).exclude(texte_partage="").select_related(*CHARGER)
    objectifs = "point__fiche__objectifs"
    # Dans l'ordre des réunions : l'ordre d'inscription à l'index départage les résultats.
    decisions = decisions.order_by(*ordre_affiche(Decision)).prefetch_related(objectifs)
    notes = notes.order_by(*ordre_affiche(NoteSeance)).prefetch_related(objectifs)
    return [*decisions, *notes]


def de_la_fiche(fiche) -> list:
    return _decisions_et_notes(point__fiche=fiche)


def de_la_reunion(reunion) -> list:
    return _decisions_et_notes(point__reunion=reunion)


def register() -> None:
    recherche.register(
        recherche.Sorte(
            nom="reunion",
            libelle="Notes et décisions de réunion",
            modeles=("reunions.Decision", "reunions.NoteSeance"),
            document=lambda obj: (
                decision_document(obj) if isinstance(obj, Decision) else note_document(obj)
            ),
            tous=_decisions_et_notes,
            visible=visible_contrat,
        )
    )
    recherche.register_lies("contrats.FicheAction", de_la_fiche)
    recherche.register_lies("reunions.Reunion", de_la_reunion)

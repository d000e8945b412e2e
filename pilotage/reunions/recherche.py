"""Ce que `reunions` rend cherchable : décisions et notes de séance (le texte partagé
seulement : une note pas encore partagée par son auteur n'est pas cherchable), visibles de
qui voit le contrat."""

from django.urls import reverse

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
    texte = "\n".join(
        [decision.texte, decision.porteur, decision.commentaire_cloture, point.fiche.titre]
    )
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


def register() -> None:
    recherche.register(
        recherche.Sorte(
            nom="reunion",
            libelle="Notes et décisions de réunion",
            modeles=("reunions.Decision", "reunions.NoteSeance"),
            document=lambda obj: (
                decision_document(obj) if isinstance(obj, Decision) else note_document(obj)
            ),
            tous=lambda: [
                *Decision.objects.select_related(*CHARGER).prefetch_related(
                    "point__fiche__objectifs"
                ),
                *NoteSeance.objects.exclude(texte_partage="")
                .select_related(*CHARGER)
                .prefetch_related("point__fiche__objectifs"),
            ],
            visible=visible_contrat,
        )
    )

"""Compte rendu : ce qui a été consigné en séance, le suivi des décisions précédentes et
le circuit de validation."""

from dataclasses import dataclass

from django.db.models import Prefetch

from ...models import (
    Decision,
    NoteSeance,
    PointOrdreDuJour,
    Reunion,
    ValidationCompteRendu,
)
from ...selectors import institutions_validatrices
from .commun import DecisionItem, Entete, _date, _decisions_precedentes, _entete, _origine, _points
from .fiche import FicheDuPoint

# --- Compte rendu ---------------------------------------------------------------------


@dataclass
class CompteRenduFiche(FicheDuPoint):
    point: PointOrdreDuJour
    positifs: list[str]
    ameliorations: list[str]
    decisions: list[DecisionItem]
    url: str = ""  # adresse de la fiche sur le site, posée par la page (pas le PDF ni le Word)

    @property
    def encarts(self) -> list[tuple[str, list[str]]]:
        return [
            (NoteSeance.Encart.POSITIFS.label, self.positifs),
            (NoteSeance.Encart.AMELIORATIONS.label, self.ameliorations),
        ]


@dataclass
class ValidationLigne:
    institution: str
    etat: str  # attente | valide | remarques
    par: str = ""
    le: str = ""
    commentaire: str = ""

    @property
    def libelle(self) -> str:
        if self.etat == "attente":
            return "En attente"
        if self.etat == ValidationCompteRendu.Avis.VALIDE:
            return f"Validé le {self.le} par {self.par}"
        return f"Modifications demandées le {self.le} par {self.par}"


@dataclass
class CompteRenduContent:
    entete: Entete
    fiches: list[CompteRenduFiche]
    suivi_decisions: list[DecisionItem]
    validations: list[ValidationLigne]
    figee: bool
    fige_le: str

    @property
    def titre(self) -> str:
        return f"Compte rendu – {self.entete.libelle}"

    @property
    def statut(self) -> str:
        """« Projet » tant que toutes les institutions pilotes n'ont pas validé."""
        return f"Validé le {self.fige_le}" if self.figee else "Projet"


POSITIFS = NoteSeance.Encart.POSITIFS
AMELIORATIONS = NoteSeance.Encart.AMELIORATIONS


def _validations(reunion: Reunion) -> list[ValidationLigne]:
    given = {
        v.institution_id: v
        for v in reunion.validations.select_related("user").order_by("created_at", "pk")
    }
    lines = []
    for institution in institutions_validatrices(reunion):
        v = given.get(institution.pk)
        if v is None:
            lines.append(ValidationLigne(institution.nom, "attente"))
        else:
            lines.append(
                ValidationLigne(
                    institution.nom, v.avis, str(v.user), _date(v.created_at), v.commentaire
                )
            )
    return lines


def compte_rendu_content(reunion: Reunion, *, viewer, reunions=()) -> CompteRenduContent:
    """Le compte rendu de ce qui a été consigné en séance (notes sans nom d'auteur) ;
    `reunions` : toutes celles du contrat si la vue les a lues avec leur rang
    (`selectors.reunions_avec_rang`), pour les rangs de l'en-tête et des décisions
    précédentes sans requête de plus."""
    points = _points(
        reunion,
        Prefetch("notes", queryset=NoteSeance.objects.order_by("created_at", "pk")),
        Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "pk")),
    )
    entete = _entete(reunion, (), reunions)
    origine = _origine(reunion)
    fiches = []
    for point in points:
        notes = {POSITIFS: [], AMELIORATIONS: []}
        for note in point.notes.all():
            if note.texte_partage.strip():
                notes[note.encart].append(note.texte_partage.strip())
        fiches.append(
            CompteRenduFiche(
                point=point,
                positifs=notes[POSITIFS],
                ameliorations=notes[AMELIORATIONS],
                decisions=[
                    DecisionItem(d, point.fiche.numero, origine, point.fiche.numero_affiche)
                    for d in point.decisions.all()
                ],
            )
        )
    return CompteRenduContent(
        entete=entete,
        fiches=fiches,
        suivi_decisions=_decisions_precedentes(reunion, reunions),
        validations=_validations(reunion),
        figee=reunion.est_figee,
        fige_le=_date(reunion.fige_le),
    )

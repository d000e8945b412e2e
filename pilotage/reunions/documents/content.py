"""Contenu du dossier de préparation et du compte rendu d'une réunion de suivi.

Fonctions pures (lecture seule) partagées par la page web, le PDF et le Word : elles
rassemblent tout en un nombre fixe de requêtes, qui ne croît ni avec le nombre de
fiches à l'ordre du jour ni avec celui des notes, décisions ou relevés.

- `dossier_content` : ce qu'il faut avoir sous les yeux avant la réunion, fiche par
  fiche (état, jalons en retard, dernières valeurs d'indicateurs face à la cible,
  relevés validés depuis la réunion précédente, décisions encore ouvertes, points de
  vigilance).
- `compte_rendu_content` : ce qui a été consigné en séance, dans les trois encarts de
  la proposition 1, le suivi des décisions précédentes et le circuit de validation.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from pilotage.contrats.models import Etat, Indicateur
from pilotage.documents.export.content import BANNER
from pilotage.suivi.models import Releve, ReleveEtape, ValeurIndicateur

from ..models import (
    Decision,
    NoteSeance,
    Participation,
    PointOrdreDuJour,
    Reunion,
    ValidationCompteRendu,
)
from ..selectors import institutions_validatrices, reunion_precedente, reunions_rangs

SANS_INSTITUTION = "Autres participants"


def _num(value: Decimal | None) -> str:
    """12,5 plutôt que 12.50 (écriture française, sans zéros inutiles)."""
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


# --- En-tête commun -----------------------------------------------------------------


@dataclass
class Personne:
    libelle: str
    statut: str  # code Participation.Statut
    statut_libelle: str


@dataclass
class GroupeInstitution:
    institution: str
    personnes: list[Personne] = field(default_factory=list)

    def par_statut(self, statut: str) -> list[Personne]:
        return [p for p in self.personnes if p.statut == statut]

    @property
    def presents(self) -> list[Personne]:
        return self.par_statut(Participation.Statut.PRESENT)

    @property
    def excuses(self) -> list[Personne]:
        return self.par_statut(Participation.Statut.EXCUSE)

    @property
    def invites(self) -> list[Personne]:
        return self.par_statut(Participation.Statut.INVITE)


@dataclass
class Entete:
    reunion: Reunion
    banniere: str
    type_libelle: str
    titre: str  # « 2026 – réunion 2 »
    numero: int  # rang dans le contrat : « RÉUNION D'ÉTAT D'AVANCEMENT N° 2 »
    date: datetime.datetime
    lieu: str
    lien_visio: str
    participants: list[GroupeInstitution]

    @property
    def date_courte(self) -> str:
        return _date(self.date)

    @property
    def heure(self) -> str:
        return f"{timezone.localtime(self.date):%H:%M}".replace(":", " h ")

    @property
    def libelle(self) -> str:
        """« Comité de suivi du 12/03/2026 »."""
        return f"{self.type_libelle} du {self.date_courte}"

    @property
    def ligne_avancement(self) -> str:
        """En-tête des encarts, comme dans la proposition 1."""
        return f"RÉUNION D'ÉTAT D'AVANCEMENT N° {self.numero} DATE : {self.date_courte}"

    @property
    def presents(self) -> list[GroupeInstitution]:
        return [g for g in self.participants if g.presents]

    @property
    def excuses(self) -> list[GroupeInstitution]:
        return [g for g in self.participants if g.excuses]

    @property
    def invites(self) -> list[GroupeInstitution]:
        return [g for g in self.participants if g.invites]


def _participants(reunion: Reunion) -> list[GroupeInstitution]:
    groups: dict[str, GroupeInstitution] = {}
    participations = reunion.participations.select_related("institution", "user").order_by(
        "institution__nom", "user__last_name", "nom", "pk"
    )
    for p in participations:
        name = p.institution.nom if p.institution_id else SANS_INSTITUTION
        group = groups.setdefault(name, GroupeInstitution(name))
        group.personnes.append(Personne(p.libelle, p.statut, p.get_statut_display()))
    # Les institutions d'abord, par ordre alphabétique ; les personnes sans institution à la fin.
    return sorted(groups.values(), key=lambda g: (g.institution == SANS_INSTITUTION, g.institution))


def _entete(reunion: Reunion, others=()) -> Entete:
    reunions_rangs([reunion, *others])
    contrat = reunion.contrat
    return Entete(
        reunion=reunion,
        banniere=BANNER.format(generation=contrat.generation.code),
        type_libelle=reunion.get_type_display(),
        titre=reunion.titre,
        numero=reunion._numero,  # posé par reunions_rangs, même règle que le rang
        date=reunion.date,
        lieu=reunion.lieu,
        lien_visio=reunion.lien_visio,
        participants=_participants(reunion),
    )


def _points(reunion: Reunion, *prefetch) -> list[PointOrdreDuJour]:
    points = list(
        reunion.points.select_related("fiche")
        .prefetch_related(*prefetch)
        .order_by("ordre", "fiche__numero", "pk")
    )
    for point in points:
        point.reunion = reunion
        point.fiche.contrat = reunion.contrat
    return points


# --- Décisions ------------------------------------------------------------------------


@dataclass
class DecisionItem:
    decision: Decision
    fiche_numero: int
    reunion_origine: str  # « Comité de suivi du 12/03/2026 (2026 – réunion 1) »

    @property
    def texte(self) -> str:
        return self.decision.texte

    @property
    def categorie(self) -> str:
        return self.decision.get_categorie_display()

    @property
    def porteur(self) -> str:
        return self.decision.porteur

    @property
    def echeance(self) -> str:
        return _date(self.decision.echeance)

    @property
    def ouverte(self) -> bool:
        return self.decision.est_ouverte

    @property
    def appliquee_le(self) -> str:
        return _date(self.decision.appliquee_le)

    @property
    def close_le(self) -> str:
        return _date(self.decision.close_le)

    @property
    def details(self) -> str:
        """« Acteurs · porté par DDETS · pour le 30/06/2026 »."""
        parts = [self.categorie]
        if self.porteur:
            parts.append(f"porté par {self.porteur}")
        if self.echeance:
            parts.append(f"pour le {self.echeance}")
        return " · ".join(parts)

    @property
    def application(self) -> str:
        if self.appliquee_le:
            return f"appliquée à la fiche le {self.appliquee_le}"
        if self.decision.changement.get("action"):
            return "pas encore appliquée à la fiche"
        return ""

    @property
    def suivi(self) -> str:
        """État pour le suivi des décisions précédentes : « close le … » ou « toujours ouverte »."""
        if self.ouverte:
            return "toujours ouverte"
        text = f"close le {self.close_le}"
        if self.decision.commentaire_cloture:
            text += f" ({self.decision.commentaire_cloture})"
        return text


def _origine(reunion: Reunion) -> str:
    return f"{reunion.get_type_display()} du {_date(reunion.date)} ({reunion.titre})"


def _decisions_precedentes(reunion: Reunion) -> list[DecisionItem]:
    """Décisions des réunions précédentes encore ouvertes au moment de cette réunion :
    ouvertes aujourd'hui, ou closes pendant ou après elle (elles ont été examinées)."""
    decisions = list(
        Decision.objects.examinees_a(reunion)
        .select_related("point__fiche", "point__reunion")
        .order_by("point__fiche__numero", "point__reunion__date", "created_at", "pk")
    )
    # Une instance de réunion par décision (select_related) : toutes reçoivent leur rang.
    reunions_rangs([d.point.reunion for d in decisions])
    return [DecisionItem(d, d.point.fiche.numero, _origine(d.point.reunion)) for d in decisions]


# --- Dossier de préparation -----------------------------------------------------------


@dataclass
class IndicateurLigne:
    indicateur: Indicateur
    derniere: ValeurIndicateur | None
    precedente: ValeurIndicateur | None

    @property
    def libelle(self) -> str:
        return self.indicateur.libelle

    def _with_unit(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        unite = self.indicateur.unite
        if self.derniere is not None and self.derniere.est_taux:
            unite = "%"
        return f"{_num(value)} {unite}".strip()

    @property
    def valeur(self) -> str:
        return self.derniere.affichage if self.derniere else "Aucune valeur saisie"

    @property
    def periode(self) -> str:
        return self.derniere.periode_libelle if self.derniere else ""

    @property
    def cible(self) -> str:
        return self._with_unit(self.indicateur.cible) or "Non fixée"

    @property
    def reference(self) -> str:
        text = self._with_unit(self.indicateur.valeur_reference)
        if text and self.indicateur.annee_reference:
            text += f" ({self.indicateur.annee_reference})"
        return text or "Non renseignée"

    @property
    def precedente_texte(self) -> str:
        if self.precedente is None:
            return ""
        return f"{self.precedente.affichage} ({self.precedente.periode_libelle})"

    @property
    def ecart_cible(self) -> str:
        """« 18 % de la cible » : la dernière valeur rapportée à la cible, quand c'est possible."""
        if self.derniere is None or not self.indicateur.cible:
            return ""
        value = self.derniere.valeur_principale
        if value is None:
            return ""
        ratio = (value * 100 / self.indicateur.cible).quantize(Decimal("1"))
        return f"{_num(ratio)} % de la cible"


@dataclass
class ReleveItem:
    releve: Releve
    valide_le: datetime.date

    @property
    def titre(self) -> str:
        return f"{self.releve.situation} (observé le {_date(self.releve.date_observation)})"


@dataclass
class DossierFiche:
    point: PointOrdreDuJour
    referent: str
    etat: str
    etat_libelle: str
    motif_abandon: str
    en_retard: bool
    jalons_en_retard: list
    indicateurs: list[IndicateurLigne]
    releves: list[ReleveItem]
    decisions: list[DecisionItem]
    vigilance: list[str]

    @property
    def fiche(self):
        return self.point.fiche

    @property
    def numero(self) -> int:
        return self.point.fiche.numero

    @property
    def titre(self) -> str:
        return self.point.fiche.titre

    @property
    def reporte(self) -> bool:
        return self.point.reporte

    @property
    def ancre(self) -> str:
        return f"fiche-{self.numero}"


@dataclass
class DossierContent:
    entete: Entete
    reunion_precedente: Reunion | None
    depuis: str  # « depuis le comité de suivi du … » ou « depuis la signature »
    decisions_ouvertes: list[DecisionItem]
    fiches: list[DossierFiche]

    @property
    def titre(self) -> str:
        return f"Dossier de préparation – {self.entete.libelle}"


def _releves(reunion: Reunion, precedente: Reunion | None, fiche_ids, viewer) -> dict:
    """Relevés validés (ou partagés) visibles du lecteur, validés entre la réunion
    précédente et celle-ci ; un brouillon ou un relevé relu n'y figure jamais."""
    releves = (
        Releve.objects.visibles_par(viewer)
        .filter(fiche_id__in=fiche_ids, statut__in=[Releve.Statut.VALIDE, Releve.Statut.PARTAGE])
        .select_related("indicateur")
        .prefetch_related(
            Prefetch(
                "etapes",
                queryset=ReleveEtape.objects.filter(action=ReleveEtape.Action.VALIDATION),
            )
        )
        .order_by("date_observation", "pk")
    )
    start = timezone.localtime(precedente.date) if precedente else None
    end = timezone.localtime(reunion.date)
    by_fiche = defaultdict(list)
    for releve in releves:
        steps = [e.created_at for e in releve.etapes.all()]
        if steps:
            moment = max(steps)
            keep = (start is None or moment >= start) and moment < end
            valide_le = timezone.localtime(moment).date()
        else:  # pas de trace de validation (données importées) : la date d'observation
            valide_le = releve.date_observation
            keep = (start is None or valide_le >= start.date()) and valide_le <= end.date()
        if keep:
            by_fiche[releve.fiche_id].append(ReleveItem(releve, valide_le))
    return by_fiche


def _indicateurs(fiche) -> list[IndicateurLigne]:
    lines = []
    for indicateur in fiche.indicateurs.all():
        # Dernière période, puis dernière saisie (une correction est une nouvelle saisie).
        valeurs = sorted(indicateur.valeurs.all(), key=lambda v: (v.periode_cle, v.created_at))
        latest: dict[tuple, ValeurIndicateur] = {}
        for valeur in valeurs:
            latest[valeur.periode_cle] = valeur
        ordered = [latest[k] for k in sorted(latest)]
        lines.append(
            IndicateurLigne(
                indicateur,
                ordered[-1] if ordered else None,
                ordered[-2] if len(ordered) > 1 else None,
            )
        )
    return lines


def dossier_content(reunion: Reunion, *, viewer) -> DossierContent:
    """Le dossier de préparation de la réunion, tel que `viewer` peut le voir."""
    points = _points(
        reunion,
        "fiche__jalons",
        "fiche__points_vigilance",
        Prefetch(
            "fiche__indicateurs",
            queryset=Indicateur.objects.filter(nature=Indicateur.Nature.QUANTITATIF),
        ),
        "fiche__indicateurs__valeurs",
    )
    precedente = reunion_precedente(reunion)
    entete = _entete(reunion, [precedente] if precedente else [])
    decisions = _decisions_precedentes(reunion)
    decisions_by_fiche = defaultdict(list)
    for item in decisions:
        decisions_by_fiche[item.fiche_numero].append(item)
    releves = _releves(reunion, precedente, [p.fiche_id for p in points], viewer)
    fiches = []
    for point in points:
        fiche = point.fiche
        late = [j for j in fiche.jalons.all() if j.en_retard]
        closed = fiche.etat in (Etat.REALISEE, Etat.ABANDONNEE)
        fiche._en_retard = bool(late)  # lu par FicheAction.en_retard : pas de requête de plus
        fiches.append(
            DossierFiche(
                point=point,
                referent=fiche.referent or "Non renseigné",
                etat=fiche.etat,
                etat_libelle=fiche.get_etat_display(),
                motif_abandon=fiche.motif_abandon if fiche.etat == Etat.ABANDONNEE else "",
                en_retard=bool(late) and not closed,
                jalons_en_retard=[] if closed else late,
                indicateurs=_indicateurs(fiche),
                releves=releves.get(fiche.pk, []),
                decisions=decisions_by_fiche.get(fiche.numero, []),
                vigilance=[p.libelle for p in fiche.points_vigilance.all()],
            )
        )
    if precedente:
        depuis = f"depuis le {precedente.get_type_display().lower()} du {_date(precedente.date)}"
    else:
        depuis = "depuis la signature du contrat"
    return DossierContent(
        entete=entete,
        reunion_precedente=precedente,
        depuis=depuis,
        decisions_ouvertes=decisions,
        fiches=fiches,
    )


# --- Compte rendu ---------------------------------------------------------------------


@dataclass
class CompteRenduFiche:
    point: PointOrdreDuJour
    positifs: list[str]
    ameliorations: list[str]
    decisions: list[DecisionItem]

    @property
    def numero(self) -> int:
        return self.point.fiche.numero

    @property
    def titre(self) -> str:
        return self.point.fiche.titre

    @property
    def reporte(self) -> bool:
        return self.point.reporte

    @property
    def ancre(self) -> str:
        return f"fiche-{self.numero}"

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


def compte_rendu_content(reunion: Reunion, *, viewer) -> CompteRenduContent:
    """Le compte rendu de ce qui a été consigné en séance (notes sans nom d'auteur)."""
    points = _points(
        reunion,
        Prefetch("notes", queryset=NoteSeance.objects.order_by("created_at", "pk")),
        Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "pk")),
    )
    entete = _entete(reunion)
    origine = _origine(reunion)
    fiches = []
    for point in points:
        notes = {POSITIFS: [], AMELIORATIONS: []}
        for note in point.notes.all():
            if note.texte.strip():
                notes[note.encart].append(note.texte.strip())
        fiches.append(
            CompteRenduFiche(
                point=point,
                positifs=notes[POSITIFS],
                ameliorations=notes[AMELIORATIONS],
                decisions=[
                    DecisionItem(d, point.fiche.numero, origine) for d in point.decisions.all()
                ],
            )
        )
    return CompteRenduContent(
        entete=entete,
        fiches=fiches,
        suivi_decisions=_decisions_precedentes(reunion),
        validations=_validations(reunion),
        figee=reunion.est_figee,
        fige_le=_date(reunion.fige_le),
    )

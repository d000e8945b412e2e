"""En-tête commun du dossier et du compte rendu : réunion, participants par institution,
décisions des réunions précédentes."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from pilotage.documents.export.content import BANNER

from ...models import (
    Decision,
    Participation,
    PointOrdreDuJour,
    Reunion,
)
from ...selectors import reunions_rangs

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


def _entete(reunion: Reunion, others=(), connues=()) -> Entete:
    reunions_rangs([reunion, *others], connues)
    contrat = reunion.contrat
    return Entete(
        reunion=reunion,
        banniere=BANNER.format(generation=contrat.generation.code),
        type_libelle=reunion.get_type_display(),
        titre=reunion.titre,
        numero=reunion._numero,  # posé par reunions_rangs, même règle que le rang
        date=reunion.date,
        lieu=reunion.lieu,
        lien_visio=reunion.lien_visio_utile,
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
    fiche_numero_affiche: str = ""  # « 13-1 » ; le numéro sinon

    def __post_init__(self):
        self.fiche_numero_affiche = self.fiche_numero_affiche or str(self.fiche_numero)

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


def _decisions_precedentes(reunion: Reunion, connues=()) -> list[DecisionItem]:
    """Décisions des réunions précédentes encore ouvertes au moment de cette réunion :
    ouvertes aujourd'hui, ou closes pendant ou après elle (elles ont été examinées).
    `connues` : réunions déjà lues avec leur rang (`selectors.reunions_rangs`)."""
    decisions = list(
        Decision.objects.examinees_a(reunion)
        .select_related("point__fiche", "point__reunion")
        .order_by("point__fiche__numero", "point__reunion__date", "created_at", "pk")
    )
    # Une instance de réunion par décision (select_related) : toutes reçoivent leur rang.
    reunions_rangs([d.point.reunion for d in decisions], connues)
    return [
        DecisionItem(
            d, d.point.fiche.numero, _origine(d.point.reunion), d.point.fiche.numero_affiche
        )
        for d in decisions
    ]

"""Le contenu calculé d'un rapport d'exécution annuel, rubrique par rubrique, dans l'ordre
du rapport de la Creuse pour 2024 (`seeds/004_…`) : en-tête, récapitulatif synthétique,
engagements → objectifs → fiches, annexe financière, incohérences.

Des données seulement (aucune requête) : la page, les exports et la commande
`rapport_execution` les lisent sans rien recalculer."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from pilotage.contrats import retraits


@dataclass
class Entete:
    departement: str
    departement_code: str
    region: str
    generation: str
    annee: int
    annee_premiere_contractualisation: int | None
    #: Oui / non quand les données le disent (signataires, partenaires), None sinon.
    collaboration_dpjj: bool | None
    collaboration_dgesco: bool | None
    date: datetime.date


@dataclass
class Raison:
    """Ce qui explique un retard ou un abandon, tel que les pilotes l'ont consigné."""

    fiche: str
    nature: str  # « retard » ou « abandon »
    texte: str
    etapes: list[str] = field(default_factory=list)  # étapes en retard


@dataclass
class Recapitulatif:
    prevues: int
    mises_en_oeuvre: int
    en_retard: int
    abandonnees: int
    fiches_prevues: list[str]
    fiches_mises_en_oeuvre: list[str]
    fiches_en_retard: list[str]
    fiches_abandonnees: list[str]
    raisons: list[Raison]


@dataclass
class IndicateurLigne:
    libelle: str
    unite: str
    valeur: Decimal | None
    valeur_precedente: Decimal | None
    #: Évolution relative d'une année sur l'autre, en %, arrondie au dixième.
    evolution_pct: Decimal | None
    source: str
    source_precedente: str
    affichage: str = ""
    affichage_precedent: str = ""
    numerateur: Decimal | None = None
    denominateur: Decimal | None = None
    taux_indique: Decimal | None = None
    url: str = ""
    #: Indicateur retiré du contrat (`Indicateur.retire_le`) : gardé au rapport avec ses
    #: valeurs, marqué « (retiré le …) ».
    retire_le: datetime.date | None = None

    @property
    def libelle_affiche(self) -> str:
        """Le libellé, suivi de « (retiré le 03/12/2026) » pour un indicateur retiré."""
        return self.libelle + retraits.mention(self.retire_le)


@dataclass
class Redeploiement:
    """Des moyens passés d'une fiche à une autre : transfert appliqué, crédits d'une action
    abandonnée, ou décision « moyens » qui nomme l'action renforcée sans montant."""

    depuis_fiche: str
    vers_fiche: str
    montant: Decimal | None
    origine: str  # « transfert », « abandon » ou « decision »
    texte_depuis: str
    texte_vers: str
    financeur: str = ""
    decision_id: int | None = None


@dataclass
class RedeploiementFiche:
    """Un redéploiement tel que la section d'une des deux fiches l'énonce."""

    depuis_fiche: str
    vers_fiche: str
    montant: Decimal | None
    texte: str


@dataclass
class FicheContent:
    numero: str
    numero_tri: int
    titre: str
    etat: str
    etat_libelle: str
    en_retard: bool
    engagement: str
    mesure: str
    objectif: str
    objectif_statut: str
    descriptif: str
    date_mise_en_place: str
    partenaires: list[str]
    duree: str
    budget: list[str]
    budget_texte: str
    indicateurs: list[IndicateurLigne]
    redeploiements: list[RedeploiementFiche]
    bilan_execution: str = ""
    perspectives: str = ""
    url: str = ""
    #: Le texte est encore la proposition calculée, qu'aucun pilote n'a relue : les
    #: documents le signalent (« [Proposition à relire] »).
    bilan_a_relire: bool = False
    perspectives_a_relire: bool = False


@dataclass
class ObjectifSection:
    statut: str  # « Objectifs fondamentaux », « Objectifs facultatifs »…
    mesure: str
    objectif: str
    libelle: str  # « Objectif n°3 », « Objectif « Renforcer l'ODPE » »
    fiches: list[str]


@dataclass
class EngagementSection:
    libelle: str  # vide quand les objectifs n'ont pas d'engagement (2025-2027)
    objectifs: list[ObjectifSection]


@dataclass(kw_only=True)
class MontantsFinanceur:
    """Ce qu'un financeur apporte : une ligne de l'annexe financière ou leur total."""

    financeur: str
    financeur_libelle: str
    prevu: Decimal
    transferts: Decimal
    total: Decimal
    valorisation: Decimal
    #: Le montant exécuté dans l'année, saisi par les pilotes ; None tant qu'il ne l'est
    #: pas (pour un total : tant qu'aucun ne l'est).
    execute: Decimal | None = None


@dataclass(kw_only=True)
class LigneAnnexe(MontantsFinanceur):
    fiche: str
    titre: str
    #: Part du prévu sans année (toute la durée du contrat).
    dont_sans_annee: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class TotalFinanceur(MontantsFinanceur):
    """Sommes des lignes de l'annexe pour ce financeur."""

    def ajouter(self, ligne: LigneAnnexe) -> None:
        self.prevu += ligne.prevu
        self.transferts += ligne.transferts
        self.total += ligne.total
        self.valorisation += ligne.valorisation
        if ligne.execute is not None:
            self.execute = (self.execute or Decimal(0)) + ligne.execute


@dataclass
class AnnexeFinanciere:
    lignes: list[LigneAnnexe]
    totaux: list[TotalFinanceur]


@dataclass
class Incoherence:
    """Deux chiffres qui ne s'accordent pas : signalés aux pilotes, jamais corrigés."""

    nature: str  # « valeurs_differentes », « taux » ou « unite »
    fiche: str
    indicateur: str
    annee: int
    texte: str


@dataclass
class RapportContent:
    contrat_id: int
    entete: Entete
    recapitulatif: Recapitulatif
    engagements: list[EngagementSection]
    fiches: list[FicheContent]
    annexe_financiere: AnnexeFinanciere
    incoherences: list[Incoherence]

    def fiche(self, numero: str) -> FicheContent:
        """La section d'une fiche par son numéro tel qu'écrit (« 6 », « 13-1 »)."""
        for fiche in self.fiches:
            if fiche.numero == str(numero):
                return fiche
        raise KeyError(numero)

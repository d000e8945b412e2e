"""Lectures des vues régionale et nationale (issue 15) : une ligne par contrat du
périmètre (fiches par état, en retard, « à impact », dernière et prochaine réunion,
décisions ouvertes, état du dernier rapport d'exécution) et la synthèse des objectifs
(départements, fiches et financements prévus par objectif et par financeur).

Un nombre de requêtes constant quel que soit le nombre de contrats : une requête par
sorte de chiffre, regroupée par contrat, jamais une requête par ligne. La copie figée
du contrat (`VersionSignee`, environ 134 Ko) n'est jamais lue.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from pilotage.contrats.adresses import adresses
from pilotage.contrats.models import Contrat, Etat, FicheAction, Financement
from pilotage.rapports.models import RapportExecution
from pilotage.referentiel.models import Generation, Objectif
from pilotage.reunions.models import Decision, Reunion
from pilotage.territoires.models import Departement, Region

#: Au-delà, un contrat sans réunion tenue est signalé (« aucune réunion depuis 8 mois »).
MOIS_SANS_REUNION = 8
#: États du rapport d'exécution qui valent « rapport validé » (validé, puis arrêté).
RAPPORT_VALIDE = (RapportExecution.Statut.VALIDE, RapportExecution.Statut.ARRETE)
#: États d'une fiche jamais en retard (`FicheActionQuerySet.en_retard`).
FINIES = (Etat.REALISEE, Etat.ABANDONNEE)


def mois_avant(date: datetime.date, mois: int) -> datetime.date:
    """La même date `mois` mois plus tôt (le 31 devient le dernier jour du mois)."""
    index = date.year * 12 + date.month - 1 - mois
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(date.day, last_day))


def limite_reunion(today: datetime.date | None = None) -> datetime.date:
    return mois_avant(today or timezone.localdate(), MOIS_SANS_REUNION)


def _date_texte(jour: datetime.date | None) -> str:
    """« 24/09/2026 », « Aucune » sans réunion : formaté ici plutôt que par le filtre
    `date`, cent fois plus coûteux sur les 101 lignes de la vue nationale."""
    return f"{jour:%d/%m/%Y}" if jour else "Aucune"


@dataclass
class LigneContrat:
    """Les chiffres d'un contrat dans les vues régionale et nationale."""

    contrat: Contrat
    limite: datetime.date
    #: l'adresse de la page du contrat (construite une fois pour toutes les lignes)
    adresse: str = ""
    etats: dict[str, int] = field(default_factory=dict)
    retard: int = 0
    a_impact: int = 0
    derniere_reunion: datetime.datetime | None = None
    prochaine_reunion: datetime.datetime | None = None
    #: leurs jours (date locale), convertis une fois pour toutes les lectures qui suivent
    derniere_jour: datetime.date | None = None
    prochaine_jour: datetime.date | None = None
    decisions_ouvertes: int = 0
    rapport_annee: int | None = None
    rapport_statut: str = ""

    @property
    def departement(self) -> Departement:
        return self.contrat.departement

    @property
    def fiches(self) -> int:
        return sum(self.etats.values())

    def nombre(self, etat: str) -> int:
        return self.etats.get(etat, 0)

    @property
    def par_etat(self) -> list[tuple[str, int]]:
        return [(label, self.etats.get(value, 0)) for value, label in Etat.choices]

    @property
    def part_retard(self) -> Decimal | None:
        """Part des fiches en retard, en % (None sans fiche)."""
        if not self.fiches:
            return None
        return (Decimal(100) * self.retard / self.fiches).quantize(Decimal(1))

    @property
    def reunion_recente(self) -> bool:
        """Une réunion tenue (passée, non annulée) dans les 8 derniers mois."""
        return self.derniere_jour is not None and self.derniere_jour >= self.limite

    @property
    def signature_texte(self) -> str:
        """« 24/09/2026 », la date de signature, sinon l'état du contrat (« Brouillon »)."""
        signe_le = self.contrat.date_signature
        return f"{signe_le:%d/%m/%Y}" if signe_le else self.contrat.get_statut_display()

    @property
    def derniere_texte(self) -> str:
        return _date_texte(self.derniere_jour)

    @property
    def prochaine_texte(self) -> str:
        return _date_texte(self.prochaine_jour)

    @property
    def rapport_valide(self) -> bool:
        return self.rapport_statut in RAPPORT_VALIDE

    @property
    def rapport_libelle(self) -> str:
        if not self.rapport_statut:
            return "Aucun rapport"
        label = RapportExecution.Statut(self.rapport_statut).label
        return f"{self.rapport_annee} : {label}"


def contrats_visibles(user, *, generation: Generation, region: Region | None):
    """Les contrats de la génération que `user` voit dans le périmètre (une région, ou la
    France entière) : posé en sous-requête des lectures par contrat plutôt qu'une liste
    de cent un numéros répétée dans chacune."""
    contrats = Contrat.objects.visibles_par(user).filter(generation=generation)
    if region is not None:
        contrats = contrats.filter(departement__region=region)
    return contrats


def _contrats(user, *, generation: Generation, region: Region | None, departements):
    contrats = contrats_visibles(user, generation=generation, region=region).order_by(
        "departement__code"
    )
    if departements is None:
        contrats = contrats.select_related("departement__region").only(
            "statut",
            "date_signature",
            "generation_id",
            "departement__code",
            "departement__nom",
            "departement__region__code",
            "departement__region__nom",
        )
    else:
        contrats = contrats.only("statut", "date_signature", "generation_id", "departement_id")
    contrats = list(contrats)
    par_pk = {d.pk: d for d in departements or ()}
    for contrat in contrats:
        # Leur génération est celle demandée, leur département (et sa région) parmi ceux
        # que la vue a déjà lus : les objets déjà là, pas une copie par contrat.
        contrat.generation = generation
        if departements is not None:
            contrat.departement = par_pk[contrat.departement_id]
    return contrats


def lignes_contrats(
    user,
    *,
    generation: Generation,
    region: Region | None,
    departements: list[Departement] | None = None,
    today: datetime.date | None = None,
) -> list[LigneContrat]:
    """Une ligne par contrat que `user` peut voir dans le périmètre (une région, ou la
    France entière si `region` est None), dans l'ordre des codes de département.
    `departements` : ceux du périmètre, déjà lus avec leur région (`departements()`),
    que les contrats reprennent au lieu de les relire."""
    today = today or timezone.localdate()
    contrats = _contrats(user, generation=generation, region=region, departements=departements)
    limite, adresse = limite_reunion(today), adresses("contrats:contrat")
    lignes = {c.pk: LigneContrat(c, limite, adresse(c.pk)) for c in contrats}
    if not lignes:
        return []
    # France entière (le niveau national, qui voit tout) : les contrats en sous-requête,
    # réduite à la génération, plutôt que cent un numéros répétés dans chaque lecture.
    # Une région : la courte liste de ses contrats, moins chère sous SQLite que la
    # sous-requête de visibilité (habilitations ou région, sans doublon).
    if region is None:
        ids = contrats_visibles(user, generation=generation, region=None).values("pk")
    else:
        ids = list(lignes)
    _fiches_lues(lignes, ids, today)
    _reunions_lues(lignes, ids)
    _decisions_et_rapports_lus(lignes, ids)
    return list(lignes.values())


def _fiches_lues(lignes: dict, ids, today: datetime.date) -> None:
    # Fiches par état, à impact et en retard en une lecture. « En retard » : la règle de
    # `FicheActionQuerySet.en_retard`, une étape en retard (`with_retard`, un EXISTS par
    # fiche) hors fiches réalisées ou abandonnées (`FINIES`, écartées par leur état, que
    # la lecture regroupe déjà) ; moins cher à construire et à exécuter que la sous-requête
    # des fiches en retard, qui répétait celle des contrats.
    fiches = FicheAction.objects.filter(contrat_id__in=ids).order_by().with_retard(today)
    for row in fiches.values("contrat_id", "etat").annotate(
        n=Count("pk"),
        a_impact=Count("pk", filter=Q(a_impact=True)),
        retard=Count("pk", filter=Q(_en_retard=True)),
    ):
        ligne = lignes[row["contrat_id"]]
        ligne.etats[row["etat"]] = row["n"]
        ligne.a_impact += row["a_impact"]
        if row["etat"] not in FINIES:
            ligne.retard += row["retard"]


def _reunions_lues(lignes: dict, ids) -> None:
    # Dernière réunion tenue et prochaine réunion en une lecture, sur les réunions non
    # annulées : avant maintenant, après (les règles `passees` et `a_venir` du QuerySet
    # des réunions, posées ici en filtres des agrégats plutôt qu'en deux sous-requêtes).
    now = timezone.now()
    reunions = Reunion.objects.filter(contrat_id__in=ids).exclude(statut=Reunion.Statut.ANNULEE)
    tz = timezone.get_current_timezone()
    for row in (
        reunions.order_by()
        .values("contrat_id")
        .annotate(
            derniere=Max("date", filter=Q(date__lt=now)),
            prochaine=Min("date", filter=Q(date__gte=now)),
        )
    ):
        ligne = lignes[row["contrat_id"]]
        ligne.derniere_reunion, ligne.prochaine_reunion = row["derniere"], row["prochaine"]
        if row["derniere"]:
            ligne.derniere_jour = timezone.localdate(row["derniere"], tz)
        if row["prochaine"]:
            ligne.prochaine_jour = timezone.localdate(row["prochaine"], tz)


def _decisions_et_rapports_lus(lignes: dict, ids) -> None:
    decisions = Decision.objects.ouvertes().filter(point__reunion__contrat_id__in=ids).order_by()
    for row in decisions.values("point__reunion__contrat_id").annotate(n=Count("pk")):
        lignes[row["point__reunion__contrat_id"]].decisions_ouvertes = row["n"]
    rapports = RapportExecution.objects.filter(contrat_id__in=ids).order_by("annee")
    for contrat_id, annee, statut in rapports.values_list("contrat_id", "annee", "statut"):
        # Trié par année : le dernier lu est le rapport le plus récent.
        lignes[contrat_id].rapport_annee, lignes[contrat_id].rapport_statut = annee, statut


@dataclass
class GroupeRegion:
    region: Region
    lignes: list[LigneContrat]
    sans_contrat: list[Departement]


def par_region(
    lignes: list[LigneContrat], departements: list[Departement], toutes: list[LigneContrat]
) -> list[GroupeRegion]:
    """Les lignes (filtrées) rangées par région (ordre alphabétique), avec les
    départements de chaque région qui n'ont pas de contrat visible (parmi `toutes`)."""
    avec_contrat = {ligne.departement.pk for ligne in toutes}
    groupes: dict[int, GroupeRegion] = {}
    for departement in sorted(departements, key=lambda d: (d.region.nom, d.code)):
        groupe = groupes.setdefault(departement.region_id, GroupeRegion(departement.region, [], []))
        if departement.pk not in avec_contrat:
            groupe.sans_contrat.append(departement)
    for ligne in lignes:
        groupes[ligne.departement.region_id].lignes.append(ligne)
    return list(groupes.values())


def departements(region: Region | None = None) -> list[Departement]:
    qs = Departement.objects.select_related("region").order_by("code")
    return list(qs if region is None else qs.filter(region=region))


@dataclass
class LigneObjectif:
    objectif: Objectif
    departements: int = 0
    fiches: int = 0
    financements: dict[str, Decimal] = field(default_factory=dict)

    @property
    def facultatif(self) -> bool:
        return self.objectif.statut == Objectif.Statut.FACULTATIF

    @property
    def total(self) -> Decimal:
        return sum(self.financements.values(), Decimal(0))

    def montant(self, financeur: str) -> Decimal | None:
        return self.financements.get(financeur)


def objectifs(generation: Generation, contrat_ids) -> list[LigneObjectif]:
    """Pour chaque objectif du référentiel : combien de départements l'ont choisi (une
    fiche au moins s'y rattache), combien de fiches, et les financements prévus par
    financeur (hors valorisation ; une fiche de deux objectifs compte dans chacun).
    `contrat_ids` : les numéros des contrats comptés, liste ou sous-requête."""
    lignes = {
        o.pk: LigneObjectif(o)
        for o in Objectif.objects.filter(generation=generation)
        .only("numero", "ordre", "titre", "statut", "ondam")
        .order_by("numero", "ordre")
    }
    # Une lecture : fiches et départements comptés sans doublon, financements prévus
    # sommés par financeur sur la jointure (une fiche sans financement compte quand même).
    prevu = Q(ficheaction__financements__valorisation=False)
    sommes = {
        f"m_{key}": Sum(
            "ficheaction__financements__montant",
            filter=prevu & Q(ficheaction__financements__financeur=key),
        )
        for key in Financement.Financeur.values
    }
    rows = (
        FicheAction.objectifs.through.objects.filter(
            ficheaction__contrat_id__in=contrat_ids, objectif_id__in=list(lignes)
        )
        .order_by()
        .values("objectif_id")
        .annotate(
            d=Count("ficheaction__contrat_id", distinct=True),
            f=Count("ficheaction_id", distinct=True),
            **sommes,
        )
    )
    for row in rows:
        ligne = lignes[row["objectif_id"]]
        ligne.departements, ligne.fiches = row["d"], row["f"]
        for key in Financement.Financeur.values:
            if row[f"m_{key}"] is not None:
                ligne.financements[key] = row[f"m_{key}"]
    return list(lignes.values())


def financeurs() -> list[tuple[str, str]]:
    return list(Financement.Financeur.choices)

"""Appariement des valeurs lues (`lecture.LigneLue`) aux fiches et aux indicateurs d'un
contrat : la fiche par son numéro tel qu'écrit (« 13-1 ») ou son numéro, l'indicateur par
son libellé (accents, casse et ponctuation ignorés ; un début de libellé suffit s'il ne
désigne qu'un indicateur) ; la valeur déjà enregistrée pour la même période est montrée.

Ce que montre l'aperçu et ce que le service enregistre viennent de la même fonction
`apparier` : rien n'est décidé deux fois. Trois requêtes, quel que soit le tableur.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat, FicheAction, Indicateur
from pilotage.core.dates import plausible_year
from pilotage.core.personal_data import detect
from pilotage.suivi.models import ValeurIndicateur

from ..importer.labels import normalize
from .lecture import LigneLue

NOUVELLE = "nouvelle"
CORRECTION = "correction"
IDENTIQUE = "identique"
REFUSEE = "refusee"
#: Libellé de chaque issue (couleurs : `BADGES_ETATS["valeurs"]` de `core.composants`).
STATUTS = {
    NOUVELLE: "Nouvelle valeur",
    CORRECTION: "Remplace la valeur affichée",
    IDENTIQUE: "Déjà enregistrée",
    REFUSEE: "Non importée",
}
#: Un début de libellé plus court ne désigne pas un indicateur avec assez de certitude.
MIN_PREFIX = 12

_FICHE_NUMBER = re.compile(r"\d{1,3}(?:[-.]\d{1,2})?")


@dataclass
class Appariement:
    lue: LigneLue
    statut: str
    motif: str = ""
    fiche: FicheAction | None = None
    indicateur: Indicateur | None = None
    precedente: str = ""
    #: Refusée faute de droit de saisie sur la fiche : le service refuse alors tout l'import.
    interdite: bool = False

    @property
    def libelle_statut(self) -> str:
        return STATUTS[self.statut]


@dataclass
class Apercu:
    lignes: list[Appariement]

    @property
    def a_importer(self) -> list[Appariement]:
        return [a for a in self.lignes if a.statut in (NOUVELLE, CORRECTION)]

    def nombre(self, statut: str) -> int:
        return sum(1 for a in self.lignes if a.statut == statut)

    @property
    def refusees(self) -> int:
        return self.nombre(REFUSEE)

    @property
    def identiques(self) -> int:
        return self.nombre(IDENTIQUE)


def _fiches(contrat: Contrat) -> list[FicheAction]:
    fiches = list(
        contrat.fiches.only("pk", "numero", "numero_texte", "titre", "contrat_id").prefetch_related(
            Prefetch(
                "indicateurs",
                queryset=Indicateur.objects.only(
                    "pk", "fiche_id", "libelle", "nature", "unite", "unite_autre", "ordre"
                ),
            )
        )
    )
    for fiche in fiches:
        fiche.contrat = contrat  # rôles mis en cache sur le contrat : une requête en tout
    return fiches


def _fiche_index(fiches: list[FicheAction]) -> dict[str, FicheAction]:
    index = {str(f.numero): f for f in fiches}
    index.update({normalize(f.numero_affiche).replace(" ", "-"): f for f in fiches})
    return index


def find_fiche(text: str, index: dict[str, FicheAction]) -> FicheAction | None:
    """« 6 », « Fiche 6 », « FA n°13-1 », « 6.0 » (cellule numérique) → la fiche."""
    match = _FICHE_NUMBER.search(text or "")
    if not match:
        return None
    number = match.group().replace(".", "-")
    return index.get(number) or index.get(number.removesuffix("-0"))


def find_indicateur(text: str, fiche: FicheAction) -> Indicateur | None:
    wanted = normalize(text)
    indicateurs = list(fiche.indicateurs.all())
    exact = [i for i in indicateurs if normalize(i.libelle) == wanted]
    if exact:
        return exact[0]
    if len(wanted) < MIN_PREFIX:
        return None
    close = [i for i in indicateurs if normalize(i.libelle).startswith(wanted)]
    return close[0] if len(close) == 1 else None


def _latest(contrat: Contrat) -> dict[tuple, ValeurIndicateur]:
    latest = {}
    valeurs = ValeurIndicateur.objects.of_contrat(contrat).order_by("created_at", "pk")
    for valeur in valeurs.select_related("indicateur"):
        latest[(valeur.indicateur_id, valeur.annee, valeur.semestre)] = valeur
    return latest


def _same(lue: LigneLue, valeur: ValeurIndicateur) -> bool:
    return (lue.valeur, lue.numerateur, lue.denominateur) == (
        valeur.valeur,
        valeur.numerateur,
        valeur.denominateur,
    )


def _refus(lue: LigneLue, *, contrat: Contrat, user, index) -> Appariement:
    """L'appariement de la ligne, refusé avec son motif, ou accepté (statut NOUVELLE)."""
    if lue.erreur:
        return Appariement(lue, REFUSEE, lue.erreur)
    fiche = find_fiche(lue.fiche, index)
    if fiche is None:
        return Appariement(lue, REFUSEE, f"Aucune fiche n°« {lue.fiche or '—'} » dans ce contrat.")
    indicateur = find_indicateur(lue.indicateur, fiche)
    if indicateur is None:
        motif = f"Aucun indicateur de ce libellé dans la fiche n°{fiche.numero_affiche}."
        return Appariement(lue, REFUSEE, motif, fiche)
    if indicateur.nature != Indicateur.Nature.QUANTITATIF:
        motif = "Indicateur qualitatif : il se suit par des relevés, pas par des chiffres."
        return Appariement(lue, REFUSEE, motif, fiche, indicateur)
    if not permissions.can_record_values(user, fiche):
        motif = f"Vous ne pouvez pas saisir de valeurs sur la fiche n°{fiche.numero_affiche}."
        return Appariement(lue, REFUSEE, motif, fiche, indicateur, interdite=True)
    if indicateur.est_taux and lue.valeur is not None and not 0 <= lue.valeur <= 100:
        motif = "Cet indicateur est un taux : sa valeur s'écrit entre 0 et 100 %."
        return Appariement(lue, REFUSEE, motif, fiche, indicateur)
    try:
        plausible_year(lue.annee, generation=contrat.generation)
    except ValidationError as exc:
        return Appariement(lue, REFUSEE, exc.messages[0], fiche, indicateur)
    if findings := detect(lue.commentaire):
        passages = ", ".join(f"« {f.excerpt} »" for f in findings[:3])
        motif = (
            f"Le commentaire semble contenir des données personnelles ({passages}) : retirez-les."
        )
        return Appariement(lue, REFUSEE, motif, fiche, indicateur)
    return Appariement(lue, NOUVELLE, "", fiche, indicateur)


def apparier(lignes: list[LigneLue], *, contrat: Contrat, user) -> Apercu:
    """Ce que deviendrait chaque ligne : nouvelle valeur, correction de la valeur affichée
    pour la période, déjà enregistrée (ignorée), ou refusée avec son motif."""
    index = _fiche_index(_fiches(contrat))
    latest = _latest(contrat)
    seen: set[tuple] = set()
    result = []
    for lue in lignes:
        item = _refus(lue, contrat=contrat, user=user, index=index)
        if item.statut == NOUVELLE:
            key = (item.indicateur.pk, lue.annee, lue.semestre)
            current = latest.get(key)
            if key in seen:
                item.statut, item.motif = REFUSEE, "Cette période figure deux fois dans le tableur."
            elif current is not None and _same(lue, current):
                item.statut = IDENTIQUE
            elif current is not None:
                item.statut, item.precedente = CORRECTION, current.affichage
            seen.add(key)
        result.append(item)
    return Apercu(result)

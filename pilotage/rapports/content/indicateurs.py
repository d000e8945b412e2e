"""Indicateurs d'une fiche dans le rapport (valeur de l'année, de l'année précédente,
évolution, source) et incohérences entre chiffres (`suivi.checks` pour celles d'un
contrat, et même indicateur, même année, autre valeur dans un autre contrat du
département : la fiche 6 de la Creuse dit 598 IP entrantes en 2024, le rapport 593)."""

import re
import unicodedata
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from pilotage.contrats.models import Indicateur
from pilotage.referentiel.unites import number_text
from pilotage.suivi.checks import inconsistencies
from pilotage.suivi.models import ValeurIndicateur, latest_per_period

from .types import Incoherence, IndicateurLigne

_NOISE = re.compile(r"\b(?:19|20)\d\d\b|\d+(?:[.,]\d+)?|\b(?:en|soit)\b|[^\w\s]|_")


def libelle_key(libelle: str) -> str:
    """Le libellé ramené à ses mots : sans accents ni casse, sans années, nombres ni
    ponctuation (« Nombre d'IP entrantes : 2023 » et « Nombre d'IP entrantes » s'accordent)."""
    text = unicodedata.normalize("NFKD", libelle.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOISE.sub(" ", text).split())


def annual(valeurs, annee: int) -> ValeurIndicateur | None:
    """La valeur d'une année : la saisie annuelle (la dernière), sinon le dernier semestre."""
    latest = [v for v in latest_per_period(valeurs) if v.annee == annee]
    if not latest:
        return None
    whole = [v for v in latest if not v.semestre]
    return (whole or latest)[-1]


def evolution(valeur: Decimal | None, precedente: Decimal | None) -> Decimal | None:
    """Évolution relative en %, au dixième : 424 → 593 donne 39,9."""
    if valeur is None or precedente in (None, 0):
        return None
    return ((valeur - precedente) * 100 / precedente).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def indicateur_ligne(fiche, indicateur: Indicateur, annee: int) -> IndicateurLigne:
    valeurs = indicateur.valeurs.all()  # préchargées (années du rapport)
    current, previous = annual(valeurs, annee), annual(valeurs, annee - 1)
    valeur = current.valeur_principale if current else None
    precedente = previous.valeur_principale if previous else None
    return IndicateurLigne(
        libelle=indicateur.libelle,
        unite=indicateur.unite_autre or indicateur.get_unite_display(),
        valeur=valeur,
        valeur_precedente=precedente,
        evolution_pct=evolution(valeur, precedente),
        source=current.source if current else "",
        source_precedente=previous.source if previous else "",
        affichage=current.affichage if current else "",
        affichage_precedent=previous.affichage if previous else "",
        numerateur=current.numerateur if current else None,
        denominateur=current.denominateur if current else None,
        taux_indique=current.taux_indique if current else None,
        url=reverse("suivi:indicateurs", args=[fiche.contrat_id, fiche.numero]),
        retire_le=indicateur.retire_le,
    )


def quantitatifs(fiche) -> list[Indicateur]:
    return [i for i in fiche.indicateurs.all() if i.nature == Indicateur.Nature.QUANTITATIF]


def _nature(message: str) -> str:
    if message.startswith("Plusieurs valeurs"):
        return "valeurs_differentes"
    if message.startswith("Le taux indiqué"):
        return "taux"
    return "unite"


def contrat_incoherences(fiches, annees: tuple[int, ...]) -> list[Incoherence]:
    """Celles que `suivi.checks` relève sur les valeurs des années du rapport."""
    found: dict[tuple, Incoherence] = {}
    for fiche in fiches:
        for indicateur in quantitatifs(fiche):
            valeurs = [v for v in indicateur.valeurs.all() if v.annee in annees]
            by_pk = {v.pk: v for v in valeurs}
            for pk, messages in inconsistencies(valeurs).items():
                for message in messages:
                    key = (indicateur.pk, message)
                    found.setdefault(
                        key,
                        Incoherence(
                            nature=_nature(message),
                            fiche=fiche.numero_affiche,
                            indicateur=indicateur.libelle,
                            annee=by_pk[pk].annee,
                            texte=message,
                        ),
                    )
    return list(found.values())


def _origine(v: ValeurIndicateur, fiche, generation: str) -> str:
    source = f"{v.source}, " if v.source else ""
    return (
        f"{number_text(v.valeur_principale)} ({source}fiche {fiche.numero_affiche} "
        f"du contrat {generation})"
    )


def autres_contrats_valeurs(contrat, annees: tuple[int, ...]) -> list[ValeurIndicateur]:
    """Les valeurs des mêmes années dans les autres contrats du département (une requête)."""
    return list(
        ValeurIndicateur.objects.filter(
            indicateur__fiche__contrat__departement_id=contrat.departement_id,
            indicateur__nature=Indicateur.Nature.QUANTITATIF,
            annee__in=annees,
        )
        .exclude(indicateur__fiche__contrat=contrat)
        .select_related("indicateur__fiche__contrat__generation")
        .dans_l_ordre_des_fiches()  # l'ordre des autres valeurs citées dans une incohérence
    )


def croisees_incoherences(
    contrat, fiches, others: list[ValeurIndicateur], annees: tuple[int, ...]
) -> list[Incoherence]:
    """Même indicateur (même libellé, aux années et à la ponctuation près), même année,
    une autre valeur dans un autre contrat du département."""
    by_indicateur = defaultdict(list)
    for v in others:
        by_indicateur[v.indicateur_id].append(v)
    elsewhere: dict[tuple[str, int], list[ValeurIndicateur]] = defaultdict(list)
    for valeurs in by_indicateur.values():
        key = libelle_key(valeurs[0].indicateur.libelle)
        for annee in annees:
            v = annual(valeurs, annee)
            if v is not None and v.valeur_principale is not None:
                elsewhere[(key, annee)].append(v)
    found = []
    for fiche in fiches:
        for indicateur in quantitatifs(fiche):
            key = libelle_key(indicateur.libelle)
            for annee in annees:
                ours = annual(indicateur.valeurs.all(), annee)
                if ours is None or ours.valeur_principale is None:
                    continue
                differs = [
                    o
                    for o in elsewhere.get((key, annee), [])
                    if o.valeur_principale != ours.valeur_principale
                ]
                if differs:
                    texts = [_origine(ours, fiche, contrat.generation.code)] + [
                        _origine(o, o.indicateur.fiche, o.indicateur.fiche.contrat.generation.code)
                        for o in differs
                    ]
                    found.append(
                        Incoherence(
                            nature="valeurs_differentes",
                            fiche=fiche.numero_affiche,
                            indicateur=indicateur.libelle,
                            annee=annee,
                            texte=f"{indicateur.libelle}, {annee} : " + " et ".join(texts) + ".",
                        )
                    )
    return found

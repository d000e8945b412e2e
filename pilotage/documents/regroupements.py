"""Lignes d'indicateurs réunies à l'import : un indicateur, des valeurs datées.

L'analyse (`importer.regroupement`) réunit « Nombre d'IP entrantes : 2023 : 424 » et
« Nombre d'IP entrantes en 2024 : 598 » ; l'aperçu montre chaque regroupement avec la
case « Garder ces lignes séparées ». Regroupé (par défaut), l'indicateur reçoit ses
valeurs par `suivi.services.valeur_create`, la ligne d'origine en commentaire, la source
étant le document importé ; une année qui a déjà une valeur n'en reçoit pas une seconde
(un réimport ne double rien). Séparé, chaque ligne reste un indicateur, sans valeur.
"""

from dataclasses import dataclass
from decimal import Decimal

from pilotage.contrats.models import FicheAction, Indicateur
from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create

PREFIX = "regroupement-"
SOURCE = "Fiche action importée"


@dataclass(frozen=True)
class RegroupementApercu:
    """Un regroupement d'une fiche tel que l'aperçu le montre et que la confirmation
    l'applique (ou le défait, si sa clé est dans les lignes à garder séparées)."""

    fiche_numero: int
    rang: int
    libelle: str
    lignes: tuple[str, ...]
    valeurs: tuple[dict, ...]
    separe: bool = False

    @property
    def key(self) -> str:
        """Nom de la case « Garder ces lignes séparées » dans l'aperçu."""
        return f"{PREFIX}{self.fiche_numero}-{self.rang}"


def separes_from(data) -> set[str]:
    """Les clés des regroupements à défaire dans une confirmation envoyée ; une clé qui ne
    désigne aucun regroupement est sans effet."""
    return {key for key in data if key.startswith(PREFIX) and len(key) <= 60}


def quantitatifs(parsed, separes: set[str]) -> tuple[list[str], list[RegroupementApercu]]:
    """Textes des indicateurs quantitatifs d'une fiche lue, chaque regroupement défait
    remplacé par ses lignes d'origine ; et les regroupements pour l'aperçu."""
    groupes = getattr(parsed, "regroupements", None) or []
    apercus = [
        RegroupementApercu(
            parsed.numero,
            rang,
            g.libelle,
            g.lignes,
            g.valeurs,
            separe=f"{PREFIX}{parsed.numero}-{rang}" in separes,
        )
        for rang, g in enumerate(groupes, start=1)
    ]
    if not any(a.separe for a in apercus):
        return list(parsed.indicateurs_quantitatifs), apercus
    # Un regroupement défait rend ses lignes à leur place dans la rubrique lue.
    first = {g.positions[0]: a for g, a in zip(groupes, apercus, strict=True) if not a.separe}
    hidden = {p for g, a in zip(groupes, apercus, strict=True) if not a.separe for p in g.positions}
    texts = []
    for index, line in enumerate(parsed.quantitatifs_lus):
        if index in first:
            texts.append(first[index].libelle)
        elif index not in hidden:
            texts.append(line)
    return texts, apercus


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def valeurs_record(
    *, fiche: FicheAction, apercus: list[RegroupementApercu], user, filename: str
) -> int:
    """Valeurs datées des regroupements gardés ; rend le nombre de valeurs créées."""
    kept = [a for a in apercus if not a.separe]
    if not kept:
        return 0
    indicateurs = {
        i.libelle: i
        for i in fiche.indicateurs.filter(
            nature=Indicateur.Nature.QUANTITATIF, retire_le__isnull=True
        )
    }
    source = f"{SOURCE} ({filename})"[:200]
    created = 0
    for apercu in kept:
        indicateur = indicateurs.get(apercu.libelle)
        if indicateur is None:
            continue
        known = set(
            ValeurIndicateur.objects.filter(
                indicateur=indicateur, semestre__isnull=True
            ).values_list("annee", flat=True)
        )
        for value in apercu.valeurs:
            if value["annee"] in known:
                continue
            valeur_create(
                indicateur=indicateur,
                user=user,
                annee=value["annee"],
                valeur=_decimal(value["valeur"]),
                source=source,
                commentaire=f"Ligne de la fiche : « {value['texte']} »",
            )
            created += 1
    return created

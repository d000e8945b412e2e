"""Dates plausibles d'un contrat : une date saisie (réunion, échéance d'une décision,
étape…) tombe entre le 1er janvier de l'année qui précède la génération du contrat et le
31 décembre de la deuxième année qui la suit (2025-2027 : du 01/01/2024 au 31/12/2029).
Une année absurde (9999) casserait sinon les calculs de fin, les agendas et les pages.
L'année d'une valeur d'indicateur remonte plus loin (`plausible_year`) : la situation de
départ d'un contrat se mesure avant lui."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def plausible_range(generation) -> tuple[datetime.date, datetime.date]:
    """Premier et dernier jour permis pour la génération (`annee_debut`, `annee_fin`)."""
    return (
        datetime.date(generation.annee_debut - 1, 1, 1),
        datetime.date(generation.annee_fin + 2, 12, 31),
    )


def plausible_date(value, *, generation) -> None:
    """ValidationError si `value` (date, ou date et heure) sort de la période plausible du
    contrat, avec la période permise en clair. Rien à vérifier pour une date vide."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    first, last = plausible_range(generation)
    if not first <= value <= last:
        raise ValidationError(
            f"La date doit être comprise entre le {first:%d/%m/%Y} et le {last:%d/%m/%Y} "
            f"(contrat {generation.annee_debut}-{generation.annee_fin}, à un an près avant "
            "et deux ans après).",
            code="date_implausible",
        )


#: Une valeur d'indicateur peut décrire la situation de départ (diagnostic du contrat) :
#: son année remonte jusqu'à dix ans avant la génération.
VALUE_YEARS_BEFORE = 10


def plausible_years(generation) -> tuple[int, int]:
    """Première et dernière année permises pour la valeur d'un indicateur."""
    return generation.annee_debut - VALUE_YEARS_BEFORE, plausible_range(generation)[1].year


def plausible_year(value, *, generation) -> None:
    """ValidationError si l'année `value` d'une valeur d'indicateur sort de la période
    plausible (2025-2027 : de 2015 à 2029), avec la période permise en clair."""
    if value is None:
        return
    first, last = plausible_years(generation)
    if not first <= value <= last:
        raise ValidationError(
            f"Indiquez une année entre {first} et {last} (contrat {generation.annee_debut}-"
            f"{generation.annee_fin} : jusqu'à {VALUE_YEARS_BEFORE} ans avant, pour la "
            "situation de départ, et deux ans après).",
            code="annee_implausible",
        )

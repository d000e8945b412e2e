"""Incohérences signalées sur les valeurs d'indicateurs (jamais corrigées en silence).

Règles d'unité (l'unité est celle de l'indicateur, `referentiel.unites`) :

- dans une série de taux, un taux calculé au-delà de 100 % (numérateur plus grand que le
  dénominateur) est signalé ;
- dans une série de taux, une valeur saisie seule (sans numérateur ni dénominateur) est
  lue en % ; au-delà de 100, c'est un nombre d'une autre sorte (un comptage saisi dans
  une série de taux) : elle est signalée et la saisie en numérateur / dénominateur proposée.

Dans une série d'une autre unité (nombre, €, jours…), une saisie « 787 sur 844 » est
permise : le numérateur est la valeur (voir `ValeurIndicateur.valeur_principale`).
"""

from collections import defaultdict
from decimal import Decimal

TOLERANCE_POINTS = Decimal("0.5")
MAX_RATE = Decimal(100)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def unit_flags(v) -> list[str]:
    """Ce qui ne va pas avec l'unité de l'indicateur (voir l'en-tête du module)."""
    if not v.indicateur.est_taux:
        return []
    if v.est_taux and v.taux > MAX_RATE:
        return [
            f"Taux supérieur à 100 % ({_fmt(v.taux)} %) : le numérateur "
            f"({_fmt(v.numerateur)}) dépasse le dénominateur ({_fmt(v.denominateur)})."
        ]
    if not v.est_taux and v.valeur is not None and v.valeur > MAX_RATE:
        return [
            f"Valeur de {_fmt(v.valeur)} dans une série de taux (en %) : au-delà de 100 %, "
            "c'est sans doute un nombre. Saisissez plutôt le numérateur et le dénominateur."
        ]
    return []


def inconsistencies(valeurs) -> dict[int, list[str]]:
    """{id de valeur: [messages]} : taux indiqué qui ne correspond pas à ses nombres, taux
    au-delà de 100 % ou nombre dans une série de taux, même période saisie deux fois avec
    des valeurs différentes."""
    flags: dict[int, list[str]] = defaultdict(list)
    by_period = defaultdict(list)
    for v in valeurs:
        by_period[(v.indicateur_id, v.periode_cle)].append(v)
        flags[v.pk].extend(unit_flags(v))
        stated, computed = v.taux_indique, v.taux
        if (
            stated is not None
            and computed is not None
            and abs(computed - stated) > TOLERANCE_POINTS
        ):
            flags[v.pk].append(
                f"Le taux indiqué ({_fmt(stated)} %) ne correspond pas au calcul "
                f"({_fmt(v.numerateur)} / {_fmt(v.denominateur)} = {_fmt(computed)} %)."
            )
    for entries in by_period.values():
        distinct = {(e.valeur, e.numerateur, e.denominateur) for e in entries}
        if len(distinct) > 1:
            summary = " ; ".join(
                f"{e.affichage}{f' ({e.source})' if e.source else ''}" for e in entries
            )
            for e in entries:
                flags[e.pk].append(
                    f"Plusieurs valeurs différentes pour {e.periode_libelle} : {summary}."
                )
    return {pk: messages for pk, messages in flags.items() if messages}

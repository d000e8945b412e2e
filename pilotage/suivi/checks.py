"""Incohérences signalées sur les valeurs d'indicateurs (jamais corrigées en silence)."""

from collections import defaultdict
from decimal import Decimal

TOLERANCE_POINTS = Decimal("0.5")


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def inconsistencies(valeurs) -> dict[int, list[str]]:
    """{id de valeur: [messages]} : taux indiqué qui ne correspond pas à ses nombres,
    même période saisie deux fois avec des valeurs différentes."""
    flags: dict[int, list[str]] = defaultdict(list)
    by_period = defaultdict(list)
    for v in valeurs:
        by_period[(v.indicateur_id, v.periode_cle)].append(v)
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
    return dict(flags)

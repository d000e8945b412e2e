"""Graphique d'un indicateur dans le temps, rendu en SVG côté serveur.

Les chiffres sont aussi dans un tableau : le SVG est décoratif pour les lecteurs d'écran.
L'axe des valeurs porte l'unité de l'indicateur ; celui d'un taux va de 0 à 100 % (une
barre au-delà, signalée dans le tableau, s'arrête en haut de l'axe).
"""

from decimal import Decimal

from django import template

from pilotage.core.formats import nombre

from ..models import latest_per_period

register = template.Library()

WIDTH, HEIGHT = 560, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 48, 36, 26  # en haut : le titre de l'axe


def _fmt(value: Decimal) -> str:
    return nombre(value)


@register.inclusion_tag("suivi/includes/graphique.html")
def graphique(indicateur, valeurs):
    """Barres par période (dernière saisie de chaque période), ligne de cible éventuelle."""
    points = latest_per_period(valeurs)
    numbers = [p.valeur_principale for p in points if p.valeur_principale is not None]
    cible = indicateur.cible
    if indicateur.est_taux:
        top = Decimal(100)
        cible = min(cible, top) if cible is not None else None
    else:
        top = max([*numbers, cible or 0, Decimal(1)])
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    plot_w = WIDTH - MARGIN_LEFT - 8
    slot = plot_w / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        value = point.valeur_principale or Decimal(0)
        h = float(min(max(value, Decimal(0)), top) / top) * plot_h
        x = MARGIN_LEFT + index * slot + slot * 0.2
        bars.append(
            {
                "x": round(x, 1),
                "y": round(MARGIN_TOP + plot_h - h, 1),
                "w": round(slot * 0.6, 1),
                "h": round(h, 1),
                "label": point.periode_libelle,
                "text": indicateur.formater(value),
                "label_x": round(x + slot * 0.3, 1),
            }
        )
    cible_y = round(MARGIN_TOP + plot_h - float(cible / top) * plot_h, 1) if cible else None
    return {
        "indicateur": indicateur,
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - MARGIN_BOTTOM,
        "left": MARGIN_LEFT,
        "cible_y": cible_y,
        "cible": indicateur.cible_texte if cible else None,
        "top": indicateur.formater(top) if indicateur.est_taux else _fmt(top),
        "axe": indicateur.axe,
        "top_y": MARGIN_TOP,
    }

"""Graphique de la comparaison d'un indicateur national, rendu en SVG côté serveur : une
ligne pour la France (ou la région) puis une par région, la boîte des quartiles, la
médiane et un point par département (en rouge quand la valeur est à vérifier).

Décoratif pour les lecteurs d'écran (aria-hidden) : les mêmes chiffres sont dans le
tableau à côté. L'axe d'un taux va de 0 à 100 % ; une valeur au-delà s'arrête au bord.
"""

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .comparaison import Comparaison, Stats

WIDTH = 760
LABEL_W = 230  # noms des régions à gauche
ROW_H = 26
TOP = 28  # titre de l'axe et graduations
PLOT_W = WIDTH - LABEL_W - 16
POINT, ALERTE = "#161616", "#ce0500"


def _scale(low: Decimal, high: Decimal):
    span = high - low or Decimal(1)

    def x(value: Decimal) -> float:
        value = min(max(value, low), high)
        return round(LABEL_W + float((value - low) / span) * PLOT_W, 1)

    return x


def _row(label: str, stats: Stats, points, y: float, x) -> dict:
    row = {"label": label, "y": y, "mid": y + ROW_H / 2, "points": []}
    if stats.q1 is not None:
        row["box"] = {"x": x(stats.q1), "w": max(x(stats.q3) - x(stats.q1), 1.0)}
    if stats.mediane is not None:
        row["mediane_x"] = x(stats.mediane)
    row["points"] = [{"x": x(value), "alerte": alerte} for value, alerte in points]
    return row


def _svg_row(row: dict, first: bool) -> str:
    """Le SVG d'une ligne, tel que l'écrivait le gabarit (`{% localize off %}` : les
    nombres en notation Python ; le filtre `add` des ordonnées ramenait à un entier) ; un
    cercle par département, deux cents par page au national : écrits ici plutôt qu'un
    petit rendu de gabarit chacun. Seul le libellé (une région) est à échapper."""
    bold = ' font-weight="bold"' if first else ""
    label = escape(Truncator(row["label"]).chars(34))
    y = row["y"]
    box = row.get("box")
    rect = (
        f'<rect x="{box["x"]}" y="{int(y) + 5}" width="{box["w"]}" height="16" '
        'fill="#e3e3fd" stroke="#000091" stroke-width="1"/>'
        if box
        else ""
    )
    mediane = row.get("mediane_x")
    line = (
        f'<line x1="{mediane}" y1="{int(y) + 3}" x2="{mediane}" y2="{int(y) + 23}" '
        'stroke="#000091" stroke-width="3"/>'
        if mediane
        else ""
    )
    cy = row["mid"]
    cercles = "".join(
        f'<circle cx="{point["x"]}" cy="{cy}" r="3.5" '
        f'fill="{ALERTE if point["alerte"] else POINT}" fill-opacity="0.8"/>'
        for point in row["points"]
    )
    return (
        f'\n    <text x="{LABEL_W - 8}" y="{int(row["mid"]) + 4}" text-anchor="end" '
        f'font-size="12" fill="#161616"{bold}>{label}</text>\n'
        f"    {rect}\n    {line}\n    {cercles}\n  "
    )


def graphique(comparaison: Comparaison) -> dict | None:
    """Géométrie du graphique (None sans aucune valeur)."""
    lignes = [ligne for ligne in comparaison.lignes if not ligne.manquante]
    if not lignes:
        return None
    indicateur = comparaison.indicateur
    values = [ligne.valeur for ligne in lignes]
    if indicateur.est_taux:
        low, high = Decimal(0), Decimal(100)
    else:
        low, high = min(min(values), Decimal(0)), max(max(values), Decimal(1))
    x = _scale(low, high)
    rows = [
        _row(
            comparaison.region.nom if comparaison.region else "France entière",
            comparaison.stats,
            [(ligne.valeur, bool(ligne.alertes)) for ligne in lignes],
            TOP,
            x,
        )
    ]
    for index, groupe in enumerate(comparaison.regions, start=1):
        points = [(li.valeur, bool(li.alertes)) for li in groupe.lignes if not li.manquante]
        rows.append(_row(groupe.region.nom, groupe.stats, points, TOP + index * ROW_H, x))
    height = TOP + len(rows) * ROW_H + 8
    ticks = [low + (high - low) * Decimal(i) / 4 for i in range(5)]
    return {
        "svg_rows": mark_safe("".join(_svg_row(row, i == 0) for i, row in enumerate(rows))),
        "width": WIDTH,
        "height": height,
        "left": LABEL_W,
        "right": LABEL_W + PLOT_W,
        "bottom": height - 8,
        "rows": rows,
        "axe": indicateur.axe,
        "ticks": [{"x": x(t), "text": indicateur.formater(t.quantize(Decimal(1)))} for t in ticks],
    }

"""Carte des départements de la vue nationale, rendue en SVG côté serveur.

C'est une carte SCHÉMATIQUE, pas un tracé des limites : un carré par département, placé
à peu près là où il se trouve (d'après la position de sa préfecture), les cinq
départements d'outre-mer sur une ligne en dessous. Aucun fichier de limites sous licence
ouverte n'est livré par un registre de paquets à portée du projet ; la grille ci-dessous
est la seule définition des positions.

La carte est colorée selon une mesure choisie (`MESURES`, ou un indicateur national) ;
chaque classe de couleur a un libellé (légende en texte) et le tableau accessible
donne les mêmes valeurs.
"""

from dataclasses import dataclass
from html import escape as _escape

from django.utils.safestring import mark_safe

from .comparaison import Comparaison
from .selectors import MOIS_SANS_REUNION, LigneContrat

#: Une ligne par rangée de carrés, « . » pour une case vide ; les codes INSEE.
GRILLE = """
.  50 14 76 80 62 59 02 08 .  .  .
.  .  61 27 95 60 75 93 51 54 57 .
29 22 53 28 78 92 94 77 55 88 67 .
56 35 49 72 91 45 89 10 52 90 68 .
.  44 .  37 41 18 58 21 39 70 25 .
.  85 17 79 36 23 03 71 69 01 74 .
.  .  16 86 87 19 63 43 42 38 73 .
.  .  33 47 24 46 15 07 26 05 .  .
.  .  40 32 82 81 12 48 84 04 06 .
.  .  64 65 31 11 34 30 13 83 .  2B
.  .  .  .  09 66 .  .  .  .  .  2A
"""
#: Outre-mer, sur une ligne sous la métropole (une rangée vide entre les deux).
OUTRE_MER = ("971", "972", "973", "974", "976")

TILE = 40
GAP = 4
STEP = TILE + GAP


def positions() -> dict[str, tuple[int, int]]:
    """Code du département → (colonne, rangée)."""
    rows = [line.split() for line in GRILLE.strip().splitlines()]
    cells = {
        code: (col, row)
        for row, codes in enumerate(rows)
        for col, code in enumerate(codes)
        if code != "."
    }
    outre_mer_row = len(rows) + 1
    cells.update({code: (col, outre_mer_row) for col, code in enumerate(OUTRE_MER)})
    return cells


@dataclass(frozen=True)
class Classe:
    """Une couleur de la carte et ce qu'elle veut dire."""

    key: str
    libelle: str
    fond: str
    texte: str = "#161616"


SANS_CONTRAT = Classe("sans", "Pas de contrat (ou pas de donnée)", "#eeeeee")

RETARD = (
    Classe("aucun", "Aucune fiche en retard", "#b8fec9"),
    Classe("faible", "Moins de 25 % des fiches en retard", "#fceeac"),
    Classe("fort", "25 % des fiches en retard ou plus", "#fcbfb7"),
    SANS_CONTRAT,
)
REUNION = (
    Classe("oui", f"Réunion tenue dans les {MOIS_SANS_REUNION} derniers mois", "#b8fec9"),
    Classe("non", f"Aucune réunion tenue depuis {MOIS_SANS_REUNION} mois", "#fcbfb7"),
    SANS_CONTRAT,
)
RAPPORT = (
    Classe("oui", "Dernier rapport validé ou arrêté", "#b8fec9"),
    Classe("encours", "Rapport en rédaction ou soumis", "#fceeac"),
    Classe("non", "Aucun rapport d'exécution", "#fcbfb7"),
    SANS_CONTRAT,
)
QUARTILES = (
    Classe("q1", "Jusqu'au 1er quartile", "#e3e3fd"),
    Classe("q2", "Du 1er quartile à la médiane", "#b1b1f9"),
    Classe("q3", "De la médiane au 3e quartile", "#6b7fd7"),
    Classe("q4", "Au-delà du 3e quartile", "#000091", "#ffffff"),
    SANS_CONTRAT,
)

#: Les mesures de la carte (clé du paramètre GET `mesure` → libellé) ; un indicateur
#: national s'y ajoute sous la clé « indicateur-<pk> ».
MESURES = {
    "retard": "Part des fiches en retard",
    "reunion": f"Réunion tenue dans les {MOIS_SANS_REUNION} derniers mois",
    "rapport": "Dernier rapport d'exécution validé",
}
MESURE_DEFAUT = "retard"
PREFIXE_INDICATEUR = "indicateur-"


@dataclass
class Valeur:
    """La valeur d'un département pour la mesure choisie."""

    texte: str
    classe: Classe


def _retard(ligne: LigneContrat) -> Valeur:
    part = ligne.part_retard
    if part is None:
        return Valeur("Aucune fiche", SANS_CONTRAT)
    classe = RETARD[0] if ligne.retard == 0 else RETARD[1] if part < 25 else RETARD[2]
    return Valeur(f"{part} % ({ligne.retard} sur {ligne.fiches})", classe)


def _reunion(ligne: LigneContrat) -> Valeur:
    # Le jour local de la réunion, comme le tableau des contrats (derniere_texte).
    if ligne.reunion_recente:
        return Valeur(f"Oui (dernière le {ligne.derniere_texte})", REUNION[0])
    if ligne.derniere_reunion:
        return Valeur(f"Non (dernière le {ligne.derniere_texte})", REUNION[1])
    return Valeur("Non (aucune réunion tenue)", REUNION[1])


def _rapport(ligne: LigneContrat) -> Valeur:
    if ligne.rapport_valide:
        classe = RAPPORT[0]
    elif ligne.rapport_statut:
        classe = RAPPORT[1]
    else:
        classe = RAPPORT[2]
    return Valeur(ligne.rapport_libelle, classe)


MESURES_CONTRAT = {"retard": (_retard, RETARD), "reunion": (_reunion, REUNION)}
MESURES_CONTRAT["rapport"] = (_rapport, RAPPORT)


def valeurs_contrats(mesure: str, lignes: list[LigneContrat]) -> tuple[dict, tuple]:
    """Code du département → Valeur, et les classes de la légende."""
    function, classes = MESURES_CONTRAT[mesure]
    return {ligne.departement.code: function(ligne) for ligne in lignes}, classes


def valeurs_indicateur(comparaison: Comparaison) -> tuple[dict, tuple]:
    """Dernière valeur de chaque département, classée par rapport aux quartiles
    nationaux ; sans quartiles (moins de deux valeurs), tout est dans la 1re classe."""
    stats = comparaison.stats
    valeurs = {}
    for ligne in comparaison.lignes:
        if ligne.manquante:
            continue
        if stats.q1 is None or ligne.valeur <= stats.q1:
            classe = QUARTILES[0]
        elif ligne.valeur <= stats.mediane:
            classe = QUARTILES[1]
        elif ligne.valeur <= stats.q3:
            classe = QUARTILES[2]
        else:
            classe = QUARTILES[3]
        valeurs[ligne.departement.code] = Valeur(f"{ligne.texte} ({ligne.periode})", classe)
    return valeurs, QUARTILES


#: Le carré d'un département dans le SVG (lien vers le contrat, sinon groupe masqué aux
#: lecteurs d'écran : le tableau qui suit donne les mêmes valeurs). Écrit ici, une chaîne
#: par carré, plutôt qu'en gabarit : dix-sept variables par carré, cent un carrés, le
#: quart du rendu de la vue nationale. Chaque texte y est échappé par `html.escape`,
#: celui-là même de `django.utils.html.escape`, sans l'enveloppe paresseuse de
#: `format_html` (onze arguments par carré : plus cher que le carré lui-même).
_CARRE = (
    "{debut}\n"
    "      <title>{etiquette}</title>\n"
    '      <rect x="{x}" y="{y}" width="{tile}" height="{tile}" rx="3" fill="{fond}"'
    ' stroke="#666666" stroke-width="1"/>\n'
    '      <text x="{cx}" y="{cy}" text-anchor="middle" font-size="13"'
    ' fill="{couleur}">{code}</text>\n'
    "    {fin}"
)


#: Sa rangée dans le tableau des valeurs de la carte (en-tête lié au contrat s'il est
#: visible, valeur, classe).
_RANGEE = (
    "\n              <tr>\n"
    '                <th scope="row">{entete}</th>\n'
    "                <td>{texte}</td>\n"
    "                <td>{classe}</td>\n"
    "              </tr>\n            "
)


def _carre(tile: dict) -> str:
    etiquette = _escape(f"{tile['nom']} ({tile['code']}) : {tile['valeur'].texte}")
    if tile["href"]:
        debut = f'<a href="{_escape(tile["href"])}" aria-label="{etiquette} – ouvrir le contrat">'
        fin = "</a>"
    else:
        debut, fin = '<g aria-hidden="true">', "</g>"
    classe = tile["valeur"].classe
    return mark_safe(
        _CARRE.format(
            debut=debut,
            fin=fin,
            etiquette=etiquette,
            x=tile["x"],
            y=tile["y"],
            tile=TILE,
            fond=_escape(classe.fond),
            cx=tile["cx"],
            cy=tile["cy"],
            couleur=_escape(classe.texte),
            code=_escape(tile["code"]),
        )
    )


def _rangee(tile: dict) -> str:
    nom = _escape(f"{tile['nom']} ({tile['code']})")
    valeur = tile["valeur"]
    return mark_safe(
        _RANGEE.format(
            entete=f'<a href="{_escape(tile["href"])}">{nom}</a>' if tile["href"] else nom,
            texte=_escape(valeur.texte),
            classe=_escape(valeur.classe.libelle),
        )
    )


def geometrie(departements, valeurs: dict[str, Valeur], liens: dict[str, str]) -> dict:
    """Les carrés de la carte : position, couleur, texte, lien quand le contrat est
    visible, leur SVG (`svg`) et leur rangée du tableau des valeurs (`rangee`), mis bout
    à bout pour la page (`carres`, `rangees`)."""
    cells = positions()
    tiles = []
    for departement in departements:
        col, row = cells[departement.code]
        valeur = valeurs.get(departement.code) or Valeur("Pas de donnée", SANS_CONTRAT)
        tile = {
            "code": departement.code,
            "nom": departement.nom,
            "x": col * STEP,
            "y": row * STEP,
            "cx": col * STEP + TILE / 2,
            "cy": row * STEP + TILE / 2 + 5,
            "valeur": valeur,
            "href": liens.get(departement.code, ""),
        }
        tile["svg"] = _carre(tile)
        tile["rangee"] = _rangee(tile)  # sa rangée du tableau des valeurs (même raison)
        tiles.append(tile)
    width = max(c for c, _ in cells.values()) + 1
    height = max(r for _, r in cells.values()) + 1
    return {
        "tiles": tiles,
        # Tout le SVG des carrés et toutes les rangées du tableau, en une variable chacun.
        "carres": mark_safe("".join(f"\n    {t['svg']}\n  " for t in tiles)),
        "rangees": mark_safe("".join(t["rangee"] for t in tiles)),
        "tile": TILE,
        "width": width * STEP,
        "height": height * STEP,
        "outre_mer_y": (height - 1) * STEP - GAP,
    }

"""Tableau de bord des indicateurs nationaux en XLSX et ODS : les colonnes sont définies
une fois ici, pour la feuille des valeurs, la synthèse nationale et celle par région."""

from pilotage.core.spreadsheets import Sheet, workbook_ods, workbook_xlsx

from .comparaison import Comparaison, Stats

VALEURS = (
    "Indicateur national",
    "Région",
    "Code du département",
    "Département",
    "Période",
    "Valeur",
    "Unité",
    "Source",
    "À vérifier",
)
STATS = ("Départements renseignés", "Valeurs manquantes", "Médiane", "1er quartile", "3e quartile")
SYNTHESE = ("Indicateur national", "Unité", *STATS, "Valeurs à vérifier")
REGIONS = ("Indicateur national", "Région", *STATS)

WRITERS = {"xlsx": workbook_xlsx, "ods": workbook_ods}


def _stats(stats: Stats, manquantes: int) -> tuple:
    return (stats.n, manquantes, stats.mediane, stats.q1, stats.q3)


def _unite(comparaison: Comparaison) -> str:
    return comparaison.indicateur.get_unite_display()


def sheets(comparaisons: list[Comparaison]) -> list[Sheet]:
    valeurs = [
        (
            c.indicateur.libelle,
            groupe.region.nom,
            ligne.departement.code,
            ligne.departement.nom,
            ligne.periode or "Valeur manquante",
            ligne.valeur,
            _unite(c),
            ligne.source,
            " ; ".join(ligne.alertes),
        )
        for c in comparaisons
        for groupe in c.regions
        for ligne in groupe.lignes
    ]
    synthese = [
        (c.indicateur.libelle, _unite(c), *_stats(c.stats, c.manquantes), c.alertes)
        for c in comparaisons
    ]
    regions = [
        (c.indicateur.libelle, groupe.region.nom, *_stats(groupe.stats, groupe.manquantes))
        for c in comparaisons
        for groupe in c.regions
    ]
    return [
        Sheet("Synthèse", SYNTHESE, synthese),
        Sheet("Par région", REGIONS, regions),
        Sheet("Valeurs par département", VALEURS, valeurs),
    ]


def workbook(comparaisons: list[Comparaison], *, fmt: str, title: str) -> bytes:
    return WRITERS[fmt](sheets(comparaisons), title=title)

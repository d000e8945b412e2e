"""Annexe financière du rapport d'exécution en tableur, XLSX et ODS : une ligne par fiche et
financeur (prévu, transferts, total, exécuté, valorisation à part), puis les totaux par
financeur sur une seconde feuille. Les colonnes sont définies une fois (`LIGNES`,
`TOTAUX`) pour les deux formats ; les textes ne deviennent jamais des formules."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from pilotage.core.spreadsheets import Sheet, workbook_ods, workbook_xlsx

from ..content import RapportContent
from ..formats import register


@dataclass(frozen=True)
class Colonne:
    titre: str
    valeur: Callable
    montant: bool = False


def _montant(titre: str, attribut: str) -> Colonne:
    return Colonne(titre, attrgetter(attribut), montant=True)


LIGNES = (
    Colonne("Fiche", attrgetter("fiche")),
    Colonne("Titre", attrgetter("titre")),
    Colonne("Financeur", attrgetter("financeur_libelle")),
    Colonne("Code financeur", attrgetter("financeur")),
    _montant("Prévu", "prevu"),
    _montant("dont sans année", "dont_sans_annee"),
    _montant("Transferts", "transferts"),
    _montant("Total", "total"),
    _montant("Exécuté", "execute"),
    _montant("Valorisation", "valorisation"),
    Colonne("Notes", lambda ligne: " ; ".join(ligne.notes)),
)

TOTAUX = (
    Colonne("Financeur", attrgetter("financeur_libelle")),
    Colonne("Code financeur", attrgetter("financeur")),
    _montant("Prévu", "prevu"),
    _montant("Transferts", "transferts"),
    _montant("Total", "total"),
    _montant("Exécuté", "execute"),
    _montant("Valorisation", "valorisation"),
)


def _feuille(titre: str, colonnes: tuple[Colonne, ...], objets) -> Sheet:
    return Sheet(
        title=titre,
        headers=[c.titre for c in colonnes],
        rows=[[c.valeur(o) for c in colonnes] for o in objets],
        money=frozenset(i for i, c in enumerate(colonnes) if c.montant),
    )


def annexe_feuilles(content: RapportContent) -> list[Sheet]:
    annexe = content.annexe_financiere
    return [
        _feuille(f"Annexe financière {content.entete.annee}", LIGNES, annexe.lignes),
        _feuille("Totaux par financeur", TOTAUX, annexe.totaux),
    ]


def _titre(content: RapportContent) -> str:
    e = content.entete
    return f"Annexe financière du rapport d'exécution {e.annee} – {e.departement}"


@register("xlsx")
def export_xlsx(content: RapportContent) -> bytes:
    return workbook_xlsx(annexe_feuilles(content), title=_titre(content))


@register("ods")
def export_ods(content: RapportContent) -> bytes:
    return workbook_ods(annexe_feuilles(content), title=_titre(content))

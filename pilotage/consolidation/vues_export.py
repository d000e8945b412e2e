"""Tableaux des vues régionale et nationale en XLSX et ODS : les colonnes des contrats
et des objectifs sont définies une fois ici."""

from django.utils import timezone

from pilotage.contrats.models import Etat
from pilotage.core.spreadsheets import Sheet, workbook_ods, workbook_xlsx

from .selectors import MOIS_SANS_REUNION, LigneContrat, LigneObjectif, financeurs

CONTRATS = (
    "Région",
    "Code du département",
    "Département",
    "Référentiel",
    "Statut du contrat",
    "Date de signature",
    "Fiches",
    *(label for _, label in Etat.choices),
    "En retard",
    "À impact",
    "Dernière réunion",
    "Prochaine réunion",
    f"Réunion dans les {MOIS_SANS_REUNION} derniers mois",
    "Décisions ouvertes",
    "Rapport d'exécution (année)",
    "État du rapport",
)

WRITERS = {"xlsx": workbook_xlsx, "ods": workbook_ods}


def _date(value):
    return timezone.localdate(value) if value is not None else None


def _contrat(ligne: LigneContrat) -> tuple:
    contrat = ligne.contrat
    return (
        ligne.departement.region.nom,
        ligne.departement.code,
        ligne.departement.nom,
        contrat.generation.code,
        contrat.get_statut_display(),
        contrat.date_signature,
        ligne.fiches,
        *(ligne.nombre(value) for value, _ in Etat.choices),
        ligne.retard,
        ligne.a_impact,
        _date(ligne.derniere_reunion),
        _date(ligne.prochaine_reunion),
        "Oui" if ligne.reunion_recente else "Non",
        ligne.decisions_ouvertes,
        ligne.rapport_annee,
        ligne.rapport_libelle if ligne.rapport_statut else "Aucun rapport",
    )


def _objectifs_sheet(lignes: list[LigneObjectif]) -> Sheet:
    noms = financeurs()
    headers = (
        "Objectif",
        "Statut",
        "Départements",
        "Fiches",
        *(f"{label} (€)" for _, label in noms),
        "Total (€)",
    )
    rows = [
        (
            f"{ligne.objectif.libelle_court} – {ligne.objectif.titre}",
            ligne.objectif.get_statut_display(),
            ligne.departements,
            ligne.fiches,
            *(ligne.montant(key) for key, _ in noms),
            ligne.total,
        )
        for ligne in lignes
    ]
    money = frozenset(range(4, 5 + len(noms)))
    return Sheet("Objectifs", headers, rows, money=money)


def workbook(
    lignes: list[LigneContrat],
    *,
    fmt: str,
    title: str,
    objectifs: list[LigneObjectif] | None = None,
) -> bytes:
    sheets = [Sheet("Contrats", CONTRATS, [_contrat(ligne) for ligne in lignes])]
    if objectifs is not None:
        sheets.append(_objectifs_sheet(objectifs))
    return WRITERS[fmt](sheets, title=title)

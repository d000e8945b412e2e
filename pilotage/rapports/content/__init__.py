"""Contenu du rapport d'exécution annuel (issue 13) : `rapport_content(contrat, annee)`
et ses types. Lecture seule ; les exports (`rapports.formats`) en partent."""

from .build import rapport_content
from .types import (
    AnnexeFinanciere,
    EngagementSection,
    Entete,
    FicheContent,
    Incoherence,
    IndicateurLigne,
    LigneAnnexe,
    ObjectifSection,
    Raison,
    RapportContent,
    Recapitulatif,
    Redeploiement,
    RedeploiementFiche,
    TotalFinanceur,
)

__all__ = [
    "AnnexeFinanciere",
    "EngagementSection",
    "Entete",
    "FicheContent",
    "Incoherence",
    "IndicateurLigne",
    "LigneAnnexe",
    "ObjectifSection",
    "Raison",
    "RapportContent",
    "Recapitulatif",
    "Redeploiement",
    "RedeploiementFiche",
    "TotalFinanceur",
    "rapport_content",
]

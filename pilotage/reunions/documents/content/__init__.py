"""Contenu du dossier de préparation et du compte rendu d'une réunion de suivi.

Fonctions pures (lecture seule) partagées par la page web, le PDF et le Word : elles
rassemblent tout en un nombre fixe de requêtes, qui ne croît ni avec le nombre de
fiches à l'ordre du jour ni avec celui des notes, décisions ou relevés.

- `dossier_content` : ce qu'il faut avoir sous les yeux avant la réunion, fiche par
  fiche (état, jalons en retard, dernières valeurs d'indicateurs face à la cible,
  relevés validés depuis la réunion précédente, décisions encore ouvertes, points de
  vigilance).
- `compte_rendu_content` : ce qui a été consigné en séance, dans les trois encarts de
  la proposition 1, le suivi des décisions précédentes et le circuit de validation.
"""

from .commun import DecisionItem, Entete, GroupeInstitution, Personne
from .compte_rendu import (
    CompteRenduContent,
    CompteRenduFiche,
    ValidationLigne,
    compte_rendu_content,
)
from .dossier import DossierContent, DossierFiche, IndicateurLigne, ReleveItem, dossier_content

__all__ = [
    "CompteRenduContent",
    "CompteRenduFiche",
    "DecisionItem",
    "DossierContent",
    "DossierFiche",
    "Entete",
    "GroupeInstitution",
    "IndicateurLigne",
    "Personne",
    "ReleveItem",
    "ValidationLigne",
    "compte_rendu_content",
    "dossier_content",
]

"""Export des fiches actions aux formats officiels : Word (.docx), OpenDocument (.odt), PDF.

    fiches = load_fiches(contrat)            # toutes, ou load_fiches(contrat, [1, 3])
    data = fiches_docx(fiches, contrat=contrat)

Les trois formats partagent le même contenu (`content.fiche_content`), dans la mise en
page du modèle officiel (« Annexe 5 : Modèle de fiche action »).
"""

from pilotage.contrats.models import Contrat, FicheAction

from .content import BANNER, fiche_content
from .docx import fiches_docx
from .odt import fiches_odt
from .pdf import fiches_pdf

__all__ = ["BANNER", "fiche_content", "fiches_docx", "fiches_odt", "fiches_pdf", "load_fiches"]


def load_fiches(contrat: Contrat, numeros: list[int] | None = None) -> list[FicheAction]:
    """Les fiches du contrat avec tout ce que l'export lit, en un nombre fixe de requêtes."""
    queryset = FicheAction.objects.filter(contrat=contrat).prefetch_related(
        "objectifs",
        "acteurs",
        "financements",
        "jalons",
        "indicateurs",
        "points_vigilance",
    )
    if numeros is not None:
        queryset = queryset.filter(numero__in=numeros)
    return list(queryset.order_by("numero"))

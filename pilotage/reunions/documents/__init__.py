"""Documents d'une réunion de suivi : dossier de préparation et compte rendu.

    content = dossier_content(reunion, viewer=request.user)
    data = dossier_pdf(content)          # ou dossier_docx(content)

Page web, PDF et Word partagent le même contenu (`content.py`), rassemblé en un
nombre fixe de requêtes.
"""

from django.utils import timezone

from .content import compte_rendu_content, dossier_content
from .docx import compte_rendu_docx, dossier_docx
from .pdf import compte_rendu_pdf, dossier_pdf


def filename(kind: str, reunion, fmt: str) -> str:
    """« compte-rendu-23-2026-03-12.pdf » : département et date de la réunion."""
    day = timezone.localtime(reunion.date).date().isoformat()
    return f"{kind}-{reunion.contrat.departement.code}-{day}.{fmt}"


__all__ = [
    "filename",
    "compte_rendu_content",
    "compte_rendu_docx",
    "compte_rendu_pdf",
    "dossier_content",
    "dossier_docx",
    "dossier_pdf",
]

"""Journal des accès : le registre par lequel `contrats` signale une consultation.

Le journal (`pilotage.journal`) est au-dessus de `contrats` : la page du contrat, celle
d'une fiche et l'export JSON du contrat ne peuvent pas l'importer. Elles appellent
`record`, qui transmet aux fonctions inscrites au démarrage (`JournalConfig.ready` y
inscrit `journal.services.acces_record`). Les applications situées au-dessus du journal
(suivi, documents, réunions) appellent directement `acces_record`.
"""

from collections.abc import Callable

from django.db import models


class NatureAcces(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    TELECHARGEMENT = "telechargement", "Téléchargement"
    EXPORT = "export", "Export"


RECORDERS: list[Callable] = []


def register(recorder: Callable) -> Callable:
    """Inscrit `recorder(*, user, contrat, nature, objet, request)`."""
    if recorder not in RECORDERS:
        RECORDERS.append(recorder)
    return recorder


def record(request, *, contrat, nature: str, objet: str) -> None:
    """Signale que la personne de `request` a consulté, téléchargé ou exporté `objet`."""
    for recorder in RECORDERS:
        recorder(user=request.user, contrat=contrat, nature=nature, objet=objet, request=request)

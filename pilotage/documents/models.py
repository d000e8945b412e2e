"""Documents importés : le fichier déposé est conservé avec l'historique qu'il a produit.

Un PDF (ou un gros document) est lu en tâche de fond (`documents.tasks`) : le document
passe de « à lire » à « en lecture », puis à « analysé » (la lecture est gardée sur le
document, `lecture`), « refusé » (message de l'analyse) ou « échec » (à relancer)."""

import datetime

from django.db import models
from django.utils import timezone

from pilotage.contrats.models import Contrat
from pilotage.core.files import PrivateUploadTo
from pilotage.core.models import Revision, author_field


class DocumentImporte(models.Model):
    class Statut(models.TextChoices):
        A_LIRE = "a_lire", "En attente de lecture"
        EN_LECTURE = "en_lecture", "Lecture en cours"
        REFUSE = "refuse", "Refusé à la lecture"
        ECHEC = "echec", "Lecture interrompue"
        ANALYSE = "analyse", "Analysé, en attente de confirmation"
        APPLIQUE = "applique", "Importé"
        ABANDONNE = "abandonne", "Abandonné"

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="imports")
    fichier = models.FileField(upload_to=PrivateUploadTo("imports"))
    nom_original = models.CharField("nom du fichier", max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    user = author_field("déposé par")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.ANALYSE)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)
    revisions = models.ManyToManyField(Revision, blank=True, related_name="documents_importes")
    #: La lecture du document (`lectures.empaqueter`), gardée de l'analyse à la
    #: confirmation : un PDF n'est lu qu'une fois. Effacée une fois l'import traité.
    lecture = models.BinaryField(null=True, blank=True, editable=False)
    message = models.CharField("message de la lecture", max_length=500, blank=True)
    lecture_commencee_le = models.DateTimeField("lecture commencée le", null=True, blank=True)

    class Meta:
        verbose_name = "document importé"
        verbose_name_plural = "documents importés"
        ordering = ["-created_at"]

    def __str__(self):
        return self.nom_original

    #: Une lecture en attente ou en cours depuis plus longtemps est tenue pour
    #: interrompue (travailleur arrêté en route) : elle peut être relancée.
    DUREE_MAX = datetime.timedelta(minutes=10)

    @property
    def en_route(self) -> bool:
        """À lire ou en lecture, et pas depuis trop longtemps : on attend qu'elle finisse."""
        if self.statut not in (self.Statut.A_LIRE, self.Statut.EN_LECTURE):
            return False
        return timezone.now() - (self.lecture_commencee_le or self.created_at) < self.DUREE_MAX

    @property
    def etat(self) -> str:
        """Le statut tel que la page le montre : une lecture restée en route trop
        longtemps est un échec (qu'on peut relancer)."""
        if self.statut in (self.Statut.A_LIRE, self.Statut.EN_LECTURE) and not self.en_route:
            return self.Statut.ECHEC
        return self.statut

    @property
    def message_echec(self) -> str:
        """Le message d'un refus (celui de l'analyse) ou d'un échec de la lecture."""
        if self.etat == self.Statut.REFUSE:
            return self.message
        if self.etat != self.Statut.ECHEC:
            return ""
        return self.message or (
            "La lecture du document n'a pas abouti dans le temps prévu (le service des "
            "tâches de fond est peut-être arrêté). Réessayez ; si l'échec se répète, "
            "prévenez l'administrateur du site."
        )

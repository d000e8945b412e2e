"""Documents importés : le fichier déposé est conservé avec l'historique qu'il a produit."""

from django.db import models

from pilotage.contrats.models import Contrat
from pilotage.core.files import PrivateUploadTo
from pilotage.core.models import Revision, author_field


class DocumentImporte(models.Model):
    class Statut(models.TextChoices):
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

    class Meta:
        verbose_name = "document importé"
        verbose_name_plural = "documents importés"
        ordering = ["-created_at"]

    def __str__(self):
        return self.nom_original

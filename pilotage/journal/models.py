"""Journal des accès : qui a consulté, téléchargé ou exporté quoi, sur quel contrat.

Une ligne par accès, jamais modifiée ; effacée après `JOURNAL_RETENTION_DAYS` jours
(`manage.py purger_journal`). Le nom de la personne et son institution au moment de
l'accès sont gardés : le journal survit à la suppression d'un compte.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from pilotage.contrats.models import Contrat
from pilotage.contrats.permissions import is_pilote
from pilotage.core.journal import NatureAcces
from pilotage.territoires.models import Institution

#: Longueurs maximales des libellés gardés (un libellé plus long est tronqué).
PERSONNE_MAX = 300
OBJET_MAX = 200
CHEMIN_MAX = 500


class AccesQuerySet(models.QuerySet):
    def du_contrat(self, contrat: Contrat):
        return self.filter(contrat=contrat)

    def anterieurs_a(self, moment):
        return self.filter(at__lt=moment)

    def filtres(self, *, user_id=None, nature="", debut=None, fin=None, contrat_id=None):
        """Les accès d'une personne, d'une nature, d'une période (jours inclus, heure de
        Paris) et d'un contrat ; un critère vide ne filtre pas."""
        queryset = self
        if user_id:
            queryset = queryset.filter(user_id=user_id)
        if nature:
            queryset = queryset.filter(nature=nature)
        if debut:
            queryset = queryset.filter(at__date__gte=debut)
        if fin:
            queryset = queryset.filter(at__date__lte=fin)
        if contrat_id:
            queryset = queryset.filter(contrat_id=contrat_id)
        return queryset


class Acces(models.Model):
    Nature = NatureAcces

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personne = models.CharField(
        "personne", max_length=PERSONNE_MAX, help_text="Nom et adresse au moment de l'accès."
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="institution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Institution de la personne au moment de l'accès.",
    )
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="+")
    nature = models.CharField("nature", max_length=20, choices=NatureAcces.choices)
    objet = models.CharField("objet", max_length=OBJET_MAX)
    chemin = models.CharField("adresse", max_length=CHEMIN_MAX)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    at = models.DateTimeField("date", default=timezone.now, db_index=True)

    objects = AccesQuerySet.as_manager()

    class Meta:
        verbose_name = "accès"
        verbose_name_plural = "accès"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["contrat", "at"], name="journal_acces_contrat_at")]

    def __str__(self):
        return f"{self.personne} – {self.get_nature_display()} – {self.objet}"

    @staticmethod
    def journal_lisible_par(user, contrat: Contrat) -> bool:
        """Lire le journal des accès d'un contrat (qu'il voit) : un pilote du contrat, ou
        le niveau national (DGCS, administrateurs)."""
        if not user.is_authenticated or not user.is_active:
            return False
        return user.est_national or is_pilote(user, contrat)

    @staticmethod
    def journal_national_lisible_par(user) -> bool:
        """Lire le journal de tous les contrats : le niveau national seulement."""
        return user.is_authenticated and user.is_active and user.est_national

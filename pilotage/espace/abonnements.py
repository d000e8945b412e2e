"""Abonnements aux espaces partagés : « Suivre cet espace » donne un courriel par semaine,
seulement s'il y a du nouveau (`resumes.py`, commande `envoyer_resumes_espaces`).

Chaque abonnement porte sa marque (`resume_jusqu_a`) : tout ce qui a été publié dans
l'espace jusqu'à ce moment est réputé déjà signalé. Le résumé suivant couvre ce qui vient
après, et la marque avance dans la transaction qui met le courriel en file : un élément
figure dans un seul résumé par abonnement. À l'abonnement, la marque est l'instant même :
le premier résumé ne parle que de ce qui est publié ensuite.

Modèle importé par `models.py` (dont il ne dépend pas : relations nommées par chaîne).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AbonnementQuerySet(models.QuerySet):
    def de(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()


class Abonnement(models.Model):
    """Une personne suit un espace (une fois au plus)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="abonnements_espaces"
    )
    espace = models.ForeignKey(
        "espace.Espace", on_delete=models.CASCADE, related_name="abonnements"
    )
    created_at = models.DateTimeField("suivi depuis le", default=timezone.now)
    resume_jusqu_a = models.DateTimeField(
        "résumé envoyé jusqu'au",
        default=timezone.now,
        help_text="Ce qui a été publié jusqu'à ce moment a déjà été signalé (ou précède "
        "l'abonnement) : le prochain résumé commence après.",
    )

    objects = AbonnementQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement à un espace"
        verbose_name_plural = "abonnements aux espaces"
        ordering = ["user_id", "espace_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "espace"], name="abonnement_unique"),
        ]

    def __str__(self):
        return f"{self.user} suit {self.espace}"

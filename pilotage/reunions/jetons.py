"""Jetons des flux d'agenda : une adresse d'abonnement personnelle, révocable et
renouvelable.

Le jeton est une suite aléatoire opaque (`secrets.token_urlsafe`, 256 bits) : il ne dit
rien de la personne ni du contrat. Seule son empreinte SHA-256 est gardée en base ; le
jeton lui-même n'est montré qu'une fois, à sa création. Il cesse de valoir :

- quand la personne le révoque ou le renouvelle (renouveler = révoquer puis créer) ;
- quand son mot de passe change (empreinte du mot de passe, gardée à la création) ;
- après `REUNIONS_FLUX_INACTIVITE_JOURS` jours sans usage (183 par défaut, réglage
  facultatif) ;
- quand elle ne voit plus le contrat (habilitation retirée) ou que son compte est
  désactivé : vérifié à chaque lecture du flux.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from pilotage.contrats.models import Contrat


def mot_de_passe_empreinte(user) -> str:
    """Empreinte du mot de passe (haché) : elle change avec lui, sans le révéler."""
    return salted_hmac(
        "pilotage.reunions.jetons.mot_de_passe", user.password or "", algorithm="sha256"
    ).hexdigest()


def inactivite_max() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "REUNIONS_FLUX_INACTIVITE_JOURS", 183))


class JetonFluxQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(revoked_at__isnull=True)


class JetonFlux(models.Model):
    """Adresse d'abonnement d'une personne au flux des réunions d'un contrat."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jetons_flux"
    )
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    password_fingerprint = models.CharField("empreinte du mot de passe", max_length=64)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernier usage", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = JetonFluxQuerySet.as_manager()

    class Meta:
        app_label = "reunions"
        verbose_name = "jeton de flux d'agenda"
        verbose_name_plural = "jetons de flux d'agenda"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Flux d'agenda de {self.user} ({self.contrat})"

    @property
    def expire_le(self) -> datetime.datetime:
        return (self.last_used_at or self.created_at) + inactivite_max()

    def invalidite(self, now: datetime.datetime | None = None) -> str:
        """Pourquoi le jeton ne vaut plus (texte pour le journal) ; chaîne vide s'il vaut."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "révoqué"
        if not self.user.is_active:
            return "compte désactivé"
        if not constant_time_compare(self.password_fingerprint, mot_de_passe_empreinte(self.user)):
            return "mot de passe changé"
        if self.expire_le <= now:
            return "inutilisé trop longtemps"
        return ""

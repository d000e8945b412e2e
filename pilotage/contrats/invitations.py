"""Invitations : un pilote fait entrer une personne dans un contrat avec un rôle.

Le lien envoyé par courriel porte un jeton aléatoire opaque (`secrets.token_urlsafe`,
256 bits) ; seule son empreinte SHA-256 est gardée en base, le jeton n'existe que dans
le courriel. Le lien sert une fois : l'acceptation le consomme (`accepted_at`). Il cesse
aussi de valoir à son échéance (`INVITATION_DAYS` jours, 7 par défaut), quand un pilote
révoque l'invitation, ou quand il la renvoie (nouveau jeton, nouvelle échéance).

Une seule invitation ouverte (ni acceptée ni révoquée) par adresse et par contrat
(contrainte en base) : pour relancer quelqu'un, on renvoie l'invitation.

Les écritures sont dans `contrats.acces.invitations` ; ce module ne contient que le
modèle (importé par `contrats.models`), d'où les relations nommées par chaînes.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pilotage.comptes.models import champ_nom, champ_prenom
from pilotage.core.models import EmailTracking
from pilotage.core.tokens import JETON_LONGUEUR_MAX, jeton_empreinte

from .roles import Role


def echeance_nouvelle() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=getattr(settings, "INVITATION_DAYS", 7))


class InvitationQuerySet(models.QuerySet):
    def ouvertes(self):
        """Ni acceptées ni révoquées (en attente ou expirées) : celles qu'on peut renvoyer."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def en_attente(self):
        """Ouvertes et pas encore échues : leur lien fonctionne."""
        return self.ouvertes().filter(expires_at__gt=timezone.now())

    def pour_email(self, email: str):
        return self.filter(email=email.strip().lower())

    def par_jeton(self, jeton: str):
        """L'invitation de ce jeton (quel que soit son état), ou aucune."""
        return self._par_empreinte("token_hash", jeton)

    def par_jeton_remplace(self, jeton: str):
        """L'invitation dont ce jeton était le lien avant le dernier renvoi, ou aucune."""
        return self._par_empreinte("token_hash_precedent", jeton)

    def _par_empreinte(self, champ: str, jeton: str):
        if not isinstance(jeton, str) or not 0 < len(jeton) <= JETON_LONGUEUR_MAX:
            return self.none()
        return self.filter(**{champ: jeton_empreinte(jeton)})


class Invitation(EmailTracking):
    """Invitation d'une personne, par son adresse, à un rôle sur un contrat ; le sort de
    son dernier courriel (`EmailTracking`) est inscrit par le travailleur des tâches."""

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        ACCEPTEE = "acceptee", "Acceptée"
        EXPIREE = "expiree", "Expirée"
        REVOQUEE = "revoquee", "Révoquée"

    contrat = models.ForeignKey(
        "contrats.Contrat", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse électronique", max_length=254)
    first_name = champ_prenom()
    last_name = champ_nom()
    # À la différence du compte : l'institution supprimée laisse l'invitation, sans elle.
    institution = models.ForeignKey(
        "territoires.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    fiches = models.ManyToManyField(
        "contrats.FicheAction",
        blank=True,
        related_name="+",
        verbose_name="fiches (pour un référent)",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="invitée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("dernier envoi", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="dernier envoi par",
    )
    expires_at = models.DateTimeField("échéance", default=echeance_nouvelle)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="compte",
    )
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    # Le lien d'avant le dernier renvoi : rouvert depuis un ancien courriel, il est reconnu
    # et la page dit qu'un lien plus récent l'a remplacé (au lieu de « pas reconnu »).
    token_hash_precedent = models.CharField(
        "empreinte du lien remplacé", max_length=64, blank=True, db_index=True
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        app_label = "contrats"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contrat", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_ouverte_unique",
            )
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.get_role_display()})"

    @property
    def nom_complet(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def etat(self) -> str:
        if self.accepted_at is not None:
            return self.Etat.ACCEPTEE
        if self.revoked_at is not None:
            return self.Etat.REVOQUEE
        if self.expires_at <= timezone.now():
            return self.Etat.EXPIREE
        return self.Etat.EN_ATTENTE

    def get_etat_display(self) -> str:
        return self.Etat(self.etat).label

    @property
    def ouverte(self) -> bool:
        """Ni acceptée ni révoquée : elle peut être renvoyée ou révoquée."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def utilisable(self) -> bool:
        """Le lien permet encore d'accepter."""
        return self.etat == self.Etat.EN_ATTENTE

    def motif_refus(self) -> str:
        """Pourquoi le lien ne permet plus d'accepter, en français ; vide s'il le permet."""
        return {
            self.Etat.ACCEPTEE: (
                "Cette invitation a déjà été acceptée : le lien ne sert qu'une fois. "
                "Connectez-vous pour accéder au contrat."
            ),
            self.Etat.REVOQUEE: (
                "Cette invitation a été annulée par un pilote du contrat. "
                "Demandez-lui une nouvelle invitation si besoin."
            ),
            self.Etat.EXPIREE: (
                f"Cette invitation a expiré le {timezone.localtime(self.expires_at):%d/%m/%Y à %H:%M}. "
                "Demandez au pilote du contrat de vous la renvoyer."
            ),
        }.get(self.etat, "")

    def motif_lien_remplace(self) -> str:
        """Pour le lien d'avant le dernier renvoi : qu'un lien plus récent le remplace
        (sauf si l'invitation est depuis acceptée ou annulée : ce motif-là)."""
        if self.etat in (self.Etat.ACCEPTEE, self.Etat.REVOQUEE):
            return self.motif_refus()
        return (
            "Ce lien a été remplacé par un plus récent, envoyé le "
            f"{timezone.localtime(self.sent_at):%d/%m/%Y à %H:%M} : ouvrez le dernier courriel "
            "d'invitation reçu (pensez à regarder dans les indésirables), ou demandez au pilote "
            "du contrat de vous la renvoyer."
        )

"""Utilisateurs : connexion par adresse électronique, institution et périmètre.

Le périmètre dit ce qu'un utilisateur voit hors de ses habilitations :
« local » (seulement les contrats où il est habilité), « régional » (tous les
contrats de sa région, en lecture) ou « national » (tous les contrats, en lecture).
Les rôles sur un contrat sont des `contrats.Habilitation`.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


def champ_prenom() -> models.CharField:
    """Le prénom d'une personne : celui d'une invitation devient celui de son compte, d'où
    une seule définition (mêmes bornes) pour les deux."""
    return models.CharField("prénom", max_length=150, blank=True)


def champ_nom() -> models.CharField:
    return models.CharField("nom", max_length=150, blank=True)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Perimetre(models.TextChoices):
        LOCAL = "local", "Départemental (selon habilitations)"
        REGIONAL = "regional", "Régional (DREETS, ARS siège)"
        NATIONAL = "national", "National (DGCS)"

    email = models.EmailField("adresse électronique", unique=True)
    first_name = champ_prenom()
    last_name = champ_nom()
    institution = models.ForeignKey(
        "territoires.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="membres",
    )
    perimetre = models.CharField(
        "périmètre", max_length=20, choices=Perimetre.choices, default=Perimetre.LOCAL
    )
    region = models.ForeignKey(
        "territoires.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Pour le périmètre régional uniquement.",
    )
    # Identifiant stable donné par ProConnect (`sub`) : la personne est retrouvée par lui
    # à chaque connexion, même si son adresse change. Vide pour un compte local seulement.
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, unique=True, null=True, blank=True
    )
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def est_national(self) -> bool:
        return self.is_superuser or self.perimetre == self.Perimetre.NATIONAL

    @property
    def est_regional(self) -> bool:
        return self.perimetre == self.Perimetre.REGIONAL and self.region_id is not None

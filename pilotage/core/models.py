"""Mécanismes transverses : historique des modifications.

Chaque écriture métier passe par un service qui enregistre une `Revision`
(qui, quand, d'où : saisie, import, décision…) et ses `RevisionChange` (champ,
ancienne valeur, nouvelle valeur). L'historique n'est jamais réécrit.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


def author_field(verbose_name: str) -> models.ForeignKey:
    """Auteur facultatif d'un enregistrement (révision, saisie, dépôt) : la suppression du
    compte ne supprime pas l'enregistrement, elle en efface l'auteur."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


class RevisionQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        )


class Revision(models.Model):
    class Source(models.TextChoices):
        CREATION = "creation", "Création"
        SAISIE = "saisie", "Modification"
        IMPORT = "import", "Import"
        DEMO = "demo", "Données de démonstration"
        DECISION = "decision", "Décision de réunion"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = author_field("auteur")
    created_at = models.DateTimeField("date", auto_now_add=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SAISIE)
    version = models.PositiveIntegerField(
        "version produite",
        null=True,
        blank=True,
        help_text="Version de l'objet après ce changement.",
    )
    comment = models.CharField("commentaire", max_length=500, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "révision"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.get_source_display()} du {self.created_at:%d/%m/%Y %H:%M}"


class RevisionChange(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField("champ", max_length=100)
    label = models.CharField("libellé", max_length=200)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)

    class Meta:
        verbose_name = "changement"
        ordering = ["pk"]

    def __str__(self):
        return self.label


class PersonalDataConfirmation(models.Model):
    """L'auteur a confirmé qu'un passage signalé ne permet d'identifier personne."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField("champ", max_length=100)
    kinds = models.JSONField("types de données", default=list)
    excerpts = models.JSONField("passages", default=list)

    class Meta:
        verbose_name = "confirmation « données personnelles »"
        verbose_name_plural = "confirmations « données personnelles »"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.field} : {', '.join(self.kinds)}"


class EmailStatus(models.TextChoices):
    """Sort du dernier courriel envoyé pour un objet (core.courriels, `suivi`)."""

    EN_FILE = "en_file", "En cours d'envoi"
    ENVOYE = "envoye", "Parti"
    ECHEC = "echec", "Échec de l'envoi"


#: Longueur gardée du message d'erreur d'un envoi.
EMAIL_ERROR_MAX = 300


class EmailTracking(models.Model):
    """Le sort du dernier courriel d'un objet (invitation à un contrat, participant d'une
    réunion), inscrit par le travailleur des tâches ; vide : objet antérieur au suivi."""

    email_status = models.CharField(
        "sort du courriel", max_length=10, choices=EmailStatus.choices, blank=True, default=""
    )
    email_status_at = models.DateTimeField("sort du courriel connu le", null=True, blank=True)
    email_error = models.CharField("erreur d'envoi", max_length=EMAIL_ERROR_MAX, blank=True)

    class Meta:
        abstract = True

    @property
    def email_failed(self) -> bool:
        """Le dernier courriel n'est pas parti."""
        return self.email_status == EmailStatus.ECHEC


from .recherche.models import EntreeRecherche  # noqa: E402, F401 (index de recherche)

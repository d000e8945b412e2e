"""Rapport d'exécution annuel d'un contrat : rédaction, circuit, versions arrêtées.

Un `RapportExecution` par contrat et par année. Il est rédigé par les pilotes du
Conseil départemental (brouillon : `SectionRapport`, un texte par fiche et par rubrique
— bilan d'exécution, perspectives — et l'action la plus pertinente de chaque source de
financement), soumis aux pilotes de l'État (préfecture, DDETS) et de l'ARS qui le
commentent section par section (`CommentaireSection`), validé par un pilote de chacune
des trois parties (`ValidationRapport`), puis arrêté : la `VersionArretee`, datée, garde
le contenu tel qu'adopté et ne change plus. Une correction après l'arrêté rouvre le
rapport en version 2 (brouillon), comparée à la version 1.

Qui peut faire quoi : `RapportExecution.actions_possibles(user)`, seule définition, que
les services vérifient et que les pages suivent.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat, FicheAction, Financement, Habilitation
from pilotage.core.files import PrivateUploadTo
from pilotage.territoires.models import Institution


class Partie(models.TextChoices):
    """Les trois parties qui arrêtent conjointement le rapport."""

    CD = "cd", "Conseil départemental"
    ETAT = "etat", "État (préfecture, DDETS)"
    ARS = "ars", "ARS"


#: Type d'institution → partie qu'un pilote de cette institution représente.
PARTIE_DE_TYPE = {
    Institution.Type.CD: Partie.CD,
    Institution.Type.PREFECTURE: Partie.ETAT,
    Institution.Type.DDETS: Partie.ETAT,
    Institution.Type.ARS: Partie.ARS,
}


def partie_de(user, contrat: Contrat) -> str | None:
    """La partie que `user` représente sur ce contrat : pilote du contrat rattaché au
    Conseil départemental, à la préfecture ou à la DDETS, ou à l'ARS ; sinon None."""
    if not getattr(user, "is_authenticated", False) or not user.institution_id:
        return None
    if Habilitation.Role.PILOTE not in permissions.roles_on(user, contrat):
        return None
    return PARTIE_DE_TYPE.get(user.institution.type)


class SourceFinancement(models.TextChoices):
    """Sources de financement dont le rapport présente l'action la plus pertinente."""

    BOP304 = "bop304", "BOP 304"
    ONDAM = "ondam", "ONDAM médico-social"
    FIR = "fir", "FIR"


class RapportQuerySet(models.QuerySet):
    def a_valider_par(self, user):
        """Rapports soumis que la partie de ce pilote n'a pas encore validés (version
        courante) : rubrique « Mes tâches »."""
        partie = PARTIE_DE_TYPE.get(getattr(user.institution, "type", None))
        if partie is None:
            return self.none()
        deja = ValidationRapport.objects.filter(
            rapport=OuterRef("pk"), version=OuterRef("version"), partie=partie
        )
        return self.filter(
            statut=RapportExecution.Statut.SOUMIS, contrat__in=_pilote_de(user)
        ).exclude(Exists(deja))

    def a_arreter_par(self, user):
        """Rapports validés par les trois parties, à arrêter : pilotes des trois parties."""
        if PARTIE_DE_TYPE.get(getattr(user.institution, "type", None)) is None:
            return self.none()
        return self.filter(statut=RapportExecution.Statut.VALIDE, contrat__in=_pilote_de(user))


def _pilote_de(user):
    return Habilitation.objects.filter(user=user, role=Habilitation.Role.PILOTE).values("contrat")


class RapportExecution(models.Model):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon, en rédaction"
        SOUMIS = "soumis", "Soumis à l'État et à l'ARS"
        VALIDE = "valide", "Validé par les trois parties"
        ARRETE = "arrete", "Arrêté"

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="rapports")
    annee = models.PositiveSmallIntegerField("année")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    version = models.PositiveSmallIntegerField(
        "version", default=1, help_text="1, puis 2 après une correction du rapport arrêté…"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    soumis_le = models.DateTimeField(null=True, blank=True)
    valide_le = models.DateTimeField(null=True, blank=True)

    objects = RapportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport d'exécution"
        verbose_name_plural = "rapports d'exécution"
        ordering = ["contrat_id", "-annee"]  # à travers les contrats : ordre_affiche
        constraints = [
            models.UniqueConstraint(fields=["contrat", "annee"], name="rapport_contrat_annee")
        ]

    def __str__(self):
        return f"Rapport d'exécution {self.annee}"

    @property
    def titre(self) -> str:
        suffixe = f" (version {self.version})" if self.version > 1 else ""
        return f"Rapport d'exécution {self.annee}{suffixe}"

    @property
    def est_modifiable(self) -> bool:
        """Les textes changent en brouillon et pendant la relecture (soumis) ; plus
        ensuite (validé, arrêté)."""
        return self.statut in (self.Statut.BROUILLON, self.Statut.SOUMIS)

    # --- Ce que chacun peut faire (la seule définition ; services et vues s'y réfèrent) ---

    @staticmethod
    def peut_preparer(user, contrat: Contrat) -> bool:
        """Préparer le rapport d'une année : pilote du Conseil départemental."""
        return partie_de(user, contrat) == Partie.CD

    def actions_possibles(self, user) -> set[str]:
        """Ce que `user` peut faire de ce rapport dans son état actuel : rediger
        (pilote du CD, brouillon ou soumis), soumettre (CD, brouillon), commenter (État,
        ARS, soumis), valider (chaque partie une fois par version, soumis), arreter
        (validé, une des trois parties), corriger (CD, arrêté)."""
        partie = partie_de(user, self.contrat)
        if partie is None:
            return set()
        S = self.Statut
        actions = set()
        if partie == Partie.CD and self.est_modifiable:
            actions.add("rediger")
        if partie == Partie.CD and self.statut == S.BROUILLON:
            actions.add("soumettre")
        if partie in (Partie.ETAT, Partie.ARS) and self.statut == S.SOUMIS:
            actions.add("commenter")
        if self.statut == S.SOUMIS and partie not in self.parties_validees():
            actions.add("valider")
        if self.statut == S.VALIDE:
            actions.add("arreter")
        if partie == Partie.CD and self.statut == S.ARRETE:
            actions.add("corriger")
        return actions

    def parties_validees(self) -> set[str]:
        """Les parties qui ont validé la version courante (validations préchargées par
        `prefetch_related("validations")` si elles le sont)."""
        return {v.partie for v in self.validations.all() if v.version == self.version}

    def valide_par_toutes_les_parties(self) -> bool:
        """Les trois parties (Conseil départemental, État, ARS) ont validé la version
        courante : le rapport est validé."""
        return self.parties_validees() >= set(Partie.values)


class SectionRapport(models.Model):
    """Un texte rédigé du rapport : bilan d'exécution ou perspectives d'une fiche, ou
    l'action la plus pertinente d'une source de financement (fiche choisie et texte court)."""

    class Rubrique(models.TextChoices):
        BILAN = "bilan_execution", "Bilan d'exécution"
        PERSPECTIVES = "perspectives", "Perspectives futures"
        ACTION_PERTINENTE = "action_pertinente", "Action la plus pertinente"

    rapport = models.ForeignKey(RapportExecution, on_delete=models.CASCADE, related_name="sections")
    rubrique = models.CharField(max_length=20, choices=Rubrique.choices)
    fiche = models.ForeignKey(
        FicheAction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="La fiche de la rubrique, ou l'action choisie pour une source de financement.",
    )
    source = models.CharField(
        "source de financement", max_length=10, choices=SourceFinancement.choices, blank=True
    )
    texte = models.TextField(blank=True)
    prerempli = models.BooleanField(
        "proposé à partir des données",
        default=False,
        help_text="Texte proposé à la préparation du rapport (relevés, réunions, décisions) "
        "qu'aucun pilote n'a encore relu et enregistré.",
    )
    sources = models.JSONField(
        default=list,
        blank=True,
        help_text="D'où vient le texte proposé : [{'libelle': …, 'url': …}].",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "section du rapport"
        verbose_name_plural = "sections du rapport"
        ordering = ["rapport", "rubrique", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "rubrique", "fiche"],
                condition=~Q(rubrique="action_pertinente"),
                name="section_rapport_fiche_unique",
            ),
            models.UniqueConstraint(
                fields=["rapport", "source"],
                condition=Q(rubrique="action_pertinente"),
                name="section_rapport_source_unique",
            ),
        ]

    def __str__(self):
        return self.libelle

    @property
    def cle(self) -> str:
        """Clé stable de la section d'une version à l'autre (comparaison des versions)."""
        if self.rubrique == self.Rubrique.ACTION_PERTINENTE:
            return f"{self.rubrique}:{self.source}"
        return f"{self.rubrique}:{self.fiche_id}"

    @property
    def libelle(self) -> str:
        if self.rubrique == self.Rubrique.ACTION_PERTINENTE:
            return f"Action la plus pertinente – {self.get_source_display()}"
        return f"{self.get_rubrique_display()} – fiche n°{self.fiche.numero_affiche}"


#: Plafond d'un montant exécuté (12 chiffres dont 2 décimales, comme un financement).
MONTANT_MAX = Decimal("9999999999.99")


class MontantExecute(models.Model):
    """Le montant exécuté dans l'année du rapport, pour une fiche et un financeur, saisi
    par les pilotes du Conseil départemental avec le brouillon ; figé avec la version
    (annexe financière du contenu calculé). Un modèle plutôt qu'un JSON sur le rapport :
    une ligne par fiche et financeur, contrainte d'unicité, fiche tenue par clé étrangère."""

    rapport = models.ForeignKey(
        RapportExecution, on_delete=models.CASCADE, related_name="montants_executes"
    )
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="+")
    financeur = models.CharField(max_length=20, choices=Financement.Financeur.choices)
    montant = models.DecimalField(
        "montant exécuté (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MONTANT_MAX)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "montant exécuté"
        verbose_name_plural = "montants exécutés"
        ordering = ["rapport", "fiche__numero", "financeur"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "fiche", "financeur"], name="montant_execute_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_financeur_display()} : {self.montant}"


class CommentaireSection(models.Model):
    """Commentaire d'un pilote de l'État ou de l'ARS sur une section du rapport soumis."""

    section = models.ForeignKey(
        SectionRapport, on_delete=models.CASCADE, related_name="commentaires"
    )
    version = models.PositiveSmallIntegerField("version du rapport commentée")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "commentaire de section"
        ordering = ["section", "created_at", "pk"]

    def __str__(self):
        return f"{self.institution} : {self.texte[:60]}"


class ValidationRapport(models.Model):
    """Validation d'une version du rapport par un pilote, au nom de sa partie."""

    rapport = models.ForeignKey(
        RapportExecution, on_delete=models.CASCADE, related_name="validations"
    )
    version = models.PositiveSmallIntegerField()
    partie = models.CharField(max_length=10, choices=Partie.choices)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("validé le", auto_now_add=True)

    class Meta:
        verbose_name = "validation du rapport"
        ordering = ["rapport", "version", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "version", "partie"], name="validation_rapport_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_partie_display()} – version {self.version}"


#: Fichiers d'une version arrêtée : les seuls champs qu'on peut encore poser (une fois).
FICHIERS = ("fichier_docx", "fichier_odt", "fichier_pdf", "fichier_xlsx", "fichier_ods")


class VersionArretee(models.Model):
    """Le rapport tel qu'arrêté, daté : contenu figé (JSON) et fichiers produits.

    Comme le compte rendu figé d'une réunion, il ne change plus : seuls les fichiers,
    produits après coup, sont posés, et une seule fois chacun."""

    rapport = models.ForeignKey(
        RapportExecution, on_delete=models.PROTECT, related_name="versions_arretees"
    )
    numero = models.PositiveSmallIntegerField("version")
    arrete_le = models.DateTimeField("arrêté le")
    arrete_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contenu = models.JSONField("contenu arrêté", editable=False)
    fichier_docx = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)
    fichier_odt = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)
    fichier_pdf = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)
    fichier_xlsx = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)
    fichier_ods = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)

    class Meta:
        verbose_name = "version arrêtée du rapport"
        verbose_name_plural = "versions arrêtées du rapport"
        ordering = ["rapport", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["rapport", "numero"], name="version_arretee_unique")
        ]

    def __str__(self):
        return f"{self.rapport} – version {self.numero} arrêtée"

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk is not None:
            fields = set(update_fields or ())
            stored = VersionArretee.objects.filter(pk=self.pk).values(*FICHIERS).first() or {}
            if not fields or not fields <= set(FICHIERS) or any(stored.get(f) for f in fields):
                raise ValidationError(
                    "Une version arrêtée du rapport ne peut plus être modifiée : "
                    "corrigez le rapport pour en créer une nouvelle version."
                )
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Une version arrêtée du rapport ne peut pas être supprimée.")

    def sections(self) -> dict[str, dict]:
        """Les sections arrêtées par clé (`SectionRapport.cle`)."""
        return {s["cle"]: s for s in self.contenu.get("sections", [])}


class GenerationQuerySet(models.QuerySet):
    def du_brouillon(self):
        """Fichiers produits à la demande pour la version en rédaction (non arrêtée)."""
        return self.filter(version_arretee__isnull=True)


class GenerationFichier(models.Model):
    """Production d'un fichier du rapport en tâche de fond, et où elle en est.

    Pour une version arrêtée, une par format (Word, OpenDocument, PDF, annexes), demandée
    à l'arrêté : le fichier produit depuis le contenu figé est rangé sur la version
    (`VersionArretee.fichier_<format>`, posé une fois). Pour la version en rédaction, une
    par format au plus, demandée par un clic (« Générer le PDF ») : le fichier est rangé
    ici et remplacé à la demande suivante. Une demande en attente ou en cours n'en crée
    pas d'autre."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        PRETE = "prete", "Prête"
        ECHEC = "echec", "Échec"

    #: Une production en attente ou en cours depuis plus longtemps est tenue pour
    #: interrompue (travailleur arrêté en route) : elle peut être relancée.
    DUREE_MAX = datetime.timedelta(minutes=10)

    rapport = models.ForeignKey(
        RapportExecution, on_delete=models.CASCADE, related_name="generations"
    )
    version_arretee = models.ForeignKey(
        VersionArretee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="generations",
        help_text="La version arrêtée dont on produit le fichier ; vide : la version en rédaction.",
    )
    version = models.PositiveSmallIntegerField("version du rapport")
    format = models.CharField(max_length=10)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    fichier = models.FileField(upload_to=PrivateUploadTo("rapports"), blank=True)
    taille = models.PositiveIntegerField("taille (octets)", null=True, blank=True)
    message = models.CharField("message d'échec", max_length=300, blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demande_le = models.DateTimeField("demandé le")
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = "production d'un fichier du rapport"
        verbose_name_plural = "productions des fichiers du rapport"
        ordering = ["rapport", "version", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "format"],
                condition=Q(version_arretee__isnull=True),
                name="generation_brouillon_unique",
            ),
            models.UniqueConstraint(
                fields=["version_arretee", "format"],
                condition=Q(version_arretee__isnull=False),
                name="generation_version_unique",
            ),
        ]

    def __str__(self):
        return f"{self.rapport} – {self.format} ({self.get_statut_display()})"

    @property
    def en_route(self) -> bool:
        """En attente ou en cours, et pas depuis trop longtemps : on attend qu'elle finisse."""
        if self.statut not in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS):
            return False
        return timezone.now() - (self.commence_le or self.demande_le) < self.DUREE_MAX

    @property
    def etat(self) -> str:
        """Le statut tel que la page le montre : une production restée en route trop
        longtemps est un échec (qu'on peut relancer)."""
        if self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS) and not self.en_route:
            return self.Statut.ECHEC
        return self.statut

    @property
    def message_echec(self) -> str:
        if self.etat != self.Statut.ECHEC:
            return ""
        return self.message or (
            "La production n'a pas abouti dans le temps prévu (le service de production "
            "des fichiers est peut-être arrêté). Réessayez ; si l'échec se répète, "
            "prévenez l'administrateur du site."
        )

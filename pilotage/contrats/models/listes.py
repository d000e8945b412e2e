"""Les listes de la fiche action : acteurs à mobiliser, moyens financiers, calendrier
(jalons), indicateurs, points de vigilance.

Chacune est un modèle lié à la fiche (`related_name` : `acteurs`, `financements`,
`jalons`, `indicateurs`, `points_vigilance`), ordonné par `ordre`. La fiche est nommée
par chaîne (« contrats.FicheAction ») : ce module n'importe pas `contrat.py`, qui
l'importe (retard d'une fiche lu sur ses jalons).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pilotage.core.dates import plausible_date
from pilotage.core.formats import euros
from pilotage.referentiel.models import IndicateurNational
from pilotage.referentiel.unites import Sens, Unite, UniteMixin


def today() -> datetime.date:
    return timezone.localdate()


def jalons_en_retard(date: datetime.date | None = None) -> Q:
    """Jalon en retard : date prévue passée, pas de date de réalisation, pas retiré."""
    return Q(date_prevue__lt=date or today(), date_realisation__isnull=True, retire_le__isnull=True)


def champ_retire_le() -> models.DateField:
    """La date de retrait d'une ligne de la fiche (acteur, étape, indicateur) par un
    réimport (`contrats.retraits`)."""
    return models.DateField(
        "retiré le",
        null=True,
        blank=True,
        help_text="Retiré du contrat : gardé avec son suivi, il ne reçoit plus de saisie.",
    )


def retrait_texte(ligne) -> str:
    """« [retiré le 03/12/2026] » à la fin d'une ligne retirée (acteur, étape, indicateur) :
    l'instantané de la fiche, donc son historique, dit le retrait."""
    return f" [retiré le {ligne.retire_le:%d/%m/%Y}]" if ligne.retire_le else ""


class Acteur(models.Model):
    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="acteurs"
    )
    nom = models.CharField("acteur", max_length=300)
    implication = models.CharField("implication", max_length=500, blank=True)
    retire_le = champ_retire_le()
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["fiche_id", "ordre", "pk"]

    def __str__(self):
        return self.nom

    def as_text(self) -> str:
        text = f"{self.nom} ({self.implication})" if self.implication else self.nom
        return text + retrait_texte(self)


class Financement(models.Model):
    class Financeur(models.TextChoices):
        ETAT = "etat", "État"
        CD = "cd", "Conseil départemental"
        ARS_FIR = "ars_fir", "ARS (FIR)"
        ONDAM = "ondam", "ONDAM médico-social"
        CAF = "caf", "CAF"
        AUTRE = "autre", "Autre"

    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="financements"
    )
    financeur = models.CharField(max_length=20, choices=Financeur.choices)
    libelle = models.CharField(
        "précision sur le financeur", max_length=200, blank=True, help_text="Pour « Autre »."
    )
    montant = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    annee = models.PositiveSmallIntegerField(
        "année", null=True, blank=True, help_text="Laisser vide pour toute la durée du contrat."
    )
    valorisation = models.BooleanField(
        "valorisation", default=False, help_text="Apport valorisé (salaires, moyens existants)."
    )
    note = models.CharField(max_length=500, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["fiche_id", "ordre", "pk"]

    def __str__(self):
        return self.as_text()

    @property
    def financeur_libelle(self) -> str:
        if self.financeur == self.Financeur.AUTRE and self.libelle:
            return self.libelle
        return self.get_financeur_display()

    def as_text(self) -> str:
        parts = [
            f"{self.financeur_libelle} : {euros(self.montant) if self.montant is not None else 'montant non précisé'}"
        ]
        if self.annee:
            parts.append(f"en {self.annee}")
        if self.valorisation:
            parts.append("(valorisation)")
        if self.note:
            parts.append(f"– {self.note}")
        return " ".join(parts)


class Jalon(models.Model):
    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="jalons"
    )
    libelle = models.CharField("étape", max_length=500)
    periode = models.CharField(
        "période", max_length=100, blank=True, help_text="Par exemple : 2025 et suivantes."
    )
    date_prevue = models.DateField("date prévue", null=True, blank=True)
    date_realisation = models.DateField("réalisé le", null=True, blank=True)
    retire_le = champ_retire_le()
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "jalon"
        ordering = ["fiche_id", "ordre", "pk"]

    def __str__(self):
        return self.libelle

    def clean(self):
        """Dates prévue et de réalisation dans la période plausible du contrat (formulaire de
        la fiche, import, décision de réunion : toutes passent par `full_clean`)."""
        fiche = getattr(self, "fiche", None)
        if fiche is None or fiche.contrat_id is None:
            return
        errors = {}
        for field in ("date_prevue", "date_realisation"):
            try:
                plausible_date(getattr(self, field), generation=fiche.contrat.generation)
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)

    @property
    def en_retard(self) -> bool:
        return (
            self.date_prevue is not None
            and self.date_realisation is None
            and self.retire_le is None
            and self.date_prevue < today()
        )

    def as_text(self) -> str:
        parts = [self.libelle]
        if self.periode:
            parts.append(f"[{self.periode}]")
        if self.date_prevue:
            parts.append(f"prévu le {self.date_prevue:%d/%m/%Y}")
        if self.date_realisation:
            parts.append(f"réalisé le {self.date_realisation:%d/%m/%Y}")
        return " ".join(parts) + retrait_texte(self)


class Indicateur(UniteMixin, models.Model):
    class Nature(models.TextChoices):
        QUANTITATIF = "quantitatif", "Quantitatif"
        QUALITATIF = "qualitatif", "Qualitatif"

    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="indicateurs"
    )
    nature = models.CharField(max_length=20, choices=Nature.choices)
    libelle = models.CharField("libellé", max_length=1000)
    indicateur_national = models.ForeignKey(
        IndicateurNational,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicateurs",
    )
    unite = models.CharField(
        "unité",
        max_length=50,
        choices=Unite.choices,
        default=Unite.NOMBRE,
        help_text="Un pourcentage se compare à sa cible en points, de 0 à 100 %.",
    )
    unite_autre = models.CharField(
        "autre unité",
        max_length=50,
        blank=True,
        help_text="Seulement pour « Autre » : par exemple « places », « familles ».",
    )
    sens = models.CharField(
        "sens souhaité",
        max_length=10,
        choices=Sens.choices,
        default=Sens.AUCUN,
        help_text="Décrit l'écart à la cible : « objectif : augmenter » ou « objectif : baisser ».",
    )
    valeur_reference = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    annee_reference = models.PositiveSmallIntegerField("année de référence", null=True, blank=True)
    cible = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    valeur_texte = models.CharField("valeur indiquée dans la fiche", max_length=300, blank=True)
    retire_le = champ_retire_le()
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["fiche_id", "nature", "ordre", "pk"]

    def __str__(self):
        return self.libelle

    def clean(self):
        """« Autre » demande son unité ; une unité de la liste n'en garde pas."""
        if self.unite == Unite.AUTRE and not self.unite_autre.strip():
            raise ValidationError({"unite_autre": "Précisez l'unité (par exemple « places »)."})
        if self.unite != Unite.AUTRE:
            self.unite_autre = ""

    def as_text(self) -> str:
        parts = [
            "Indicateur national : " + self.libelle if self.indicateur_national_id else self.libelle
        ]
        if self.valeur_texte:
            parts.append(f"({self.valeur_texte})")
        if self.nature == self.Nature.QUANTITATIF and self.unite != Unite.NOMBRE:
            parts.append(f"[unité : {self.unite_autre or self.get_unite_display()}]")
        if self.nature == self.Nature.QUANTITATIF and self.sens != Sens.AUCUN:
            parts.append(f"[{self.objectif_sens}]")
        if self.valeur_reference is not None:
            parts.append(
                f"référence {self.reference_texte}"
                + (f" en {self.annee_reference}" if self.annee_reference else "")
            )
        if self.cible is not None:
            parts.append(f"cible {self.cible_texte}")
        return " ".join(parts) + retrait_texte(self)


class PointVigilance(models.Model):
    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="points_vigilance"
    )
    libelle = models.CharField("point de vigilance", max_length=1000)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "point de vigilance"
        verbose_name_plural = "points de vigilance"
        ordering = ["fiche_id", "ordre", "pk"]

    def __str__(self):
        return self.libelle

    def as_text(self) -> str:
        return self.libelle

"""Référentiel national : générations de contrats, engagements, objectifs,
indicateurs nationaux et exemples d'indicateurs par objectif.

Ce sont des données, pas du code : chargées depuis `data/` à l'installation,
puis modifiables par l'équipe nationale. Un intitulé que les documents sources
ne donnent pas vaut « Intitulé à compléter » ; il n'est jamais inventé.
"""

from django.db import models

from .unites import Sens, Unite, UniteMixin

A_COMPLETER = "Intitulé à compléter"


class Generation(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="Par exemple 2025-2027.")
    libelle = models.CharField("libellé", max_length=200)
    annee_debut = models.PositiveSmallIntegerField("année de début")
    annee_fin = models.PositiveSmallIntegerField("année de fin")

    class Meta:
        verbose_name = "génération de contrats"
        verbose_name_plural = "générations de contrats"
        ordering = ["-annee_debut"]

    def __str__(self):
        return self.libelle

    @property
    def annees(self) -> list[int]:
        return list(range(self.annee_debut, self.annee_fin + 1))


class Engagement(models.Model):
    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="engagements")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField(max_length=300, default=A_COMPLETER)

    class Meta:
        ordering = ["generation", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "numero"], name="engagement_unique")
        ]

    def __str__(self):
        return f"Engagement {self.numero} : {self.titre}"


class ObjectifQuerySet(models.QuerySet):
    def of_generation(self, generation):
        return self.filter(generation=generation)


class Objectif(models.Model):
    class Statut(models.TextChoices):
        OBLIGATOIRE = "obligatoire", "Obligatoire"
        FACULTATIF = "facultatif", "Facultatif"
        A_COMPLETER = "a_completer", "À compléter"

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="objectifs")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectifs"
    )
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField("intitulé", max_length=400, default=A_COMPLETER)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.A_COMPLETER)
    ondam = models.BooleanField(
        "financé par l'ONDAM",
        default=False,
        help_text="Objectif financé par l'ONDAM médico-social (1 des 3 objectifs ONDAM).",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="D'où viennent le statut et l'intitulé."
    )

    objects = ObjectifQuerySet.as_manager()

    class Meta:
        ordering = ["generation", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "numero"], name="objectif_unique")
        ]

    def __str__(self):
        return f"Objectif n°{self.numero}"

    @property
    def titre_a_completer(self) -> bool:
        return self.titre.strip() in ("", A_COMPLETER)

    @property
    def statut_libelle(self) -> str:
        label = self.get_statut_display().lower()
        return f"{label} – objectif ONDAM" if self.ondam else label


class IndicateurNational(UniteMixin, models.Model):
    generation = models.ForeignKey(
        Generation, on_delete=models.CASCADE, related_name="indicateurs_nationaux"
    )
    objectifs = models.ManyToManyField(Objectif, blank=True, related_name="indicateurs_nationaux")
    libelle = models.CharField("libellé", max_length=500)
    source = models.CharField(max_length=300, blank=True)
    unite = models.CharField("unité", max_length=20, choices=Unite.choices, default=Unite.NOMBRE)
    sens = models.CharField(
        "sens souhaité", max_length=10, choices=Sens.choices, default=Sens.AUCUN
    )

    class Meta:
        verbose_name = "indicateur national"
        verbose_name_plural = "indicateurs nationaux"
        ordering = ["generation", "libelle"]
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "libelle"], name="indicateur_national_unique"
            )
        ]

    def __str__(self):
        return self.libelle


class ExempleIndicateur(models.Model):
    class Nature(models.TextChoices):
        QUANTITATIF = "quantitatif", "Quantitatif"
        QUALITATIF = "qualitatif", "Qualitatif"

    objectif = models.ForeignKey(Objectif, on_delete=models.CASCADE, related_name="exemples")
    nature = models.CharField(max_length=20, choices=Nature.choices)
    libelle = models.CharField("libellé", max_length=500)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "exemple d'indicateur ou de question"
        verbose_name_plural = "exemples d'indicateurs et de questions"
        ordering = ["objectif", "nature", "ordre"]

    def __str__(self):
        return self.libelle

"""Référentiel national : générations de contrats, engagements, mesures, objectifs,
indicateurs nationaux et exemples d'indicateurs par objectif.

Les deux générations vivent dans les mêmes tables. La génération 2020-2024 (Stratégie
nationale 2020-2022, contrats prolongés jusqu'en 2024) a un niveau de plus, la mesure,
entre l'engagement et l'objectif, et une section « Conditions pour y parvenir » rangée
avec les engagements ; ses objectifs ne sont pas numérotés dans les documents sources
(`numero` vide, sauf quand le document le donne). La génération 2025-2027 n'a pas de
mesures : `Objectif.mesure` y reste vide.

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
    class Type(models.TextChoices):
        ENGAGEMENT = "engagement", "Engagement"
        CONDITIONS = "conditions", "Conditions pour y parvenir"

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="engagements")
    numero = models.PositiveSmallIntegerField(
        "numéro", help_text="Ordre d'affichage ; une section « conditions » vient après."
    )
    titre = models.CharField(max_length=300, default=A_COMPLETER)
    type = models.CharField(
        max_length=20,
        choices=Type.choices,
        default=Type.ENGAGEMENT,
        help_text="« Conditions pour y parvenir » : section transversale, sans numéro affiché.",
    )

    class Meta:
        ordering = ["generation", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "numero"], name="engagement_unique")
        ]

    def __str__(self):
        return self.libelle

    @property
    def libelle(self) -> str:
        """« Engagement 2 : Sécuriser… » ; une section de conditions par son seul titre."""
        if self.type == self.Type.CONDITIONS:
            return self.titre
        return f"Engagement {self.numero} : {self.titre}"


class Mesure(models.Model):
    """Mesure de la stratégie nationale (génération 2020-2024) : entre l'engagement et ses
    objectifs. Le numéro n'est rempli que lorsque le document source le donne."""

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="mesures")
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="mesures")
    numero = models.PositiveSmallIntegerField("numéro", null=True, blank=True)
    titre = models.CharField("intitulé", max_length=400)
    ordre = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["generation", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "ordre"], name="mesure_ordre_unique")
        ]

    def __str__(self):
        return f"Mesure {self.numero} : {self.titre}" if self.numero else f"Mesure : {self.titre}"


class ObjectifQuerySet(models.QuerySet):
    def of_generation(self, generation):
        return self.filter(generation=generation)


class Objectif(models.Model):
    class Statut(models.TextChoices):
        OBLIGATOIRE = "obligatoire", "Obligatoire"
        FONDAMENTAL = "fondamental", "Fondamental"
        FACULTATIF = "facultatif", "Facultatif"
        A_COMPLETER = "a_completer", "À compléter"

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="objectifs")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectifs"
    )
    mesure = models.ForeignKey(
        Mesure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectifs",
        help_text="Génération 2020-2024 seulement.",
    )
    numero = models.PositiveSmallIntegerField(
        "numéro", null=True, blank=True, help_text="Vide quand le document source n'en donne pas."
    )
    ordre = models.PositiveSmallIntegerField(
        default=0, help_text="Ordre des objectifs sans numéro (génération 2020-2024)."
    )
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
        ordering = ["generation", "ordre", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "numero"], name="objectif_unique")
        ]

    def __str__(self):
        return self.libelle_court

    @property
    def libelle_court(self) -> str:
        """« Objectif n°7 » ; un objectif sans numéro par le début de son intitulé."""
        if self.numero is not None:
            return f"Objectif n°{self.numero}"
        titre = self.titre if len(self.titre) <= 60 else self.titre[:59].rstrip() + "…"
        return f"Objectif « {titre} »"

    @property
    def nom(self) -> str:
        """Dans une phrase : « l'objectif n°9 », « l'objectif « Renforcer l'ODPE » »."""
        return "l'o" + self.libelle_court[1:]

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Tri des objectifs d'une fiche : numérotés d'abord, puis dans l'ordre du référentiel."""
        return (self.numero is None, self.numero or 0, self.ordre)

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

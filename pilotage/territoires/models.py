"""Régions, départements et institutions (Conseil départemental, DDETS, ARS…)."""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField(max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Institution(models.Model):
    class Type(models.TextChoices):
        CD = "cd", "Conseil départemental"
        PREFECTURE = "prefecture", "Préfecture"
        DDETS = "ddets", "DDETS"
        ARS = "ars", "ARS"
        DREETS = "dreets", "DREETS"
        DGCS = "dgcs", "DGCS"
        CAF = "caf", "CAF"
        EDUCATION = "education", "Éducation nationale"
        PJJ = "pjj", "PJJ"
        HOPITAL = "hopital", "Établissement de santé"
        ASSOCIATION = "association", "Association"
        AUTRE = "autre", "Autre partenaire"

    nom = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    departement = models.ForeignKey(
        Departement, null=True, blank=True, on_delete=models.PROTECT, related_name="institutions"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="institutions"
    )

    class Meta:
        verbose_name = "institution"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

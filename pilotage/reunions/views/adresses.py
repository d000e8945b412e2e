"""Adresses des fiches sur les pages des réunions : la règle vit avec les fiches
(`contrats.adresses`, dont la page du contrat se sert aussi)."""

from pilotage.contrats.adresses import adresses_des_fiches

__all__ = ["adresses_des_fiches"]

"""Administration de l'espace partagé : les rubriques (nom, description, ordre), la
consultation des espaces et des abonnements (qui suit quoi, résumé envoyé jusqu'à quand)."""

from django.contrib import admin

from .models import Abonnement, Espace, Rubrique


@admin.register(Rubrique)
class RubriqueAdmin(admin.ModelAdmin):
    list_display = ("nom", "ordre", "description")
    list_editable = ("ordre",)


@admin.register(Espace)
class EspaceAdmin(admin.ModelAdmin):
    list_display = ("nom", "niveau", "cle")
    list_filter = ("niveau",)
    filter_horizontal = ("editeurs",)
    raw_id_fields = ("ressource_du_trimestre",)
    list_select_related = ("region", "departement")


@admin.register(Abonnement)
class AbonnementAdmin(admin.ModelAdmin):
    list_display = ("user", "espace", "created_at", "resume_jusqu_a")
    list_select_related = ("user", "espace__region", "espace__departement")
    raw_id_fields = ("user",)
    search_fields = ("user__email",)

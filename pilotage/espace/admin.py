"""Administration de l'espace partagé : les rubriques (nom, description, ordre) et la
consultation des espaces."""

from django.contrib import admin

from .models import Espace, Rubrique


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

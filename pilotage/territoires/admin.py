from django.contrib import admin

from .models import Departement, Institution, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["nom", "code"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    search_fields = ["nom", "code"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "departement", "region"]
    list_filter = ["type", "region"]
    search_fields = ["nom"]
    autocomplete_fields = ["departement", "region"]

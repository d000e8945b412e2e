from django.contrib import admin

from .models import Engagement, ExempleIndicateur, Generation, IndicateurNational, Mesure, Objectif


class ExempleInline(admin.TabularInline):
    model = ExempleIndicateur
    extra = 0


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "annee_debut", "annee_fin"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["generation", "numero", "titre", "type"]
    list_filter = ["generation", "type"]


@admin.register(Mesure)
class MesureAdmin(admin.ModelAdmin):
    list_display = ["generation", "ordre", "numero", "titre", "engagement"]
    list_filter = ["generation", "engagement"]
    search_fields = ["titre"]


@admin.register(Objectif)
class ObjectifAdmin(admin.ModelAdmin):
    list_display = ["numero", "titre", "mesure", "statut", "ondam", "generation"]
    list_filter = ["generation", "statut", "ondam"]
    list_select_related = ["mesure", "generation"]
    search_fields = ["titre"]
    inlines = [ExempleInline]


@admin.register(IndicateurNational)
class IndicateurNationalAdmin(admin.ModelAdmin):
    list_display = ["libelle", "generation"]
    list_filter = ["generation"]
    search_fields = ["libelle"]
    filter_horizontal = ["objectifs"]

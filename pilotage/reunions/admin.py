from django.contrib import admin

from pilotage.contrats.models import ordre_affiche

from .models import Decision, NoteSeance, Participation, PointOrdreDuJour, Reunion


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


class PointInline(admin.TabularInline):
    model = PointOrdreDuJour
    extra = 0


@admin.register(Reunion)
class ReunionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contrat", "statut"]
    ordering = ordre_affiche(Reunion)
    list_filter = ["type", "statut", "contrat__departement"]
    inlines = [ParticipationInline, PointInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "statut", "appliquee_le"]
    ordering = ordre_affiche(Decision)
    list_filter = ["categorie", "statut"]
    readonly_fields = ["revision", "appliquee_le", "appliquee_par"]


@admin.register(NoteSeance)
class NoteSeanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "point", "updated_at"]
    ordering = ordre_affiche(NoteSeance)

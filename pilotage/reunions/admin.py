from django.contrib import admin

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
    list_filter = ["type", "statut", "contrat__departement"]
    inlines = [ParticipationInline, PointInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "statut", "appliquee_le"]
    list_filter = ["categorie", "statut"]
    readonly_fields = ["revision", "appliquee_le", "appliquee_par"]


@admin.register(NoteSeance)
class NoteSeanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "point", "updated_at"]

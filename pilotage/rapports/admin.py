"""Administration des rapports d'exécution : consultation ; les versions arrêtées en
lecture seule (elles ne changent plus)."""

from django.contrib import admin

from pilotage.contrats.models import ordre_affiche

from .models import (
    CommentaireSection,
    GenerationFichier,
    MontantExecute,
    RapportExecution,
    SectionRapport,
    ValidationRapport,
    VersionArretee,
)


class SectionInline(admin.TabularInline):
    model = SectionRapport
    fields = ["rubrique", "fiche", "source", "texte", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    raw_id_fields = ["fiche"]
    extra = 0


class ValidationInline(admin.TabularInline):
    model = ValidationRapport
    fields = ["version", "partie", "institution", "user", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class MontantExecuteInline(admin.TabularInline):
    """Montants exécutés saisis sur la page du rapport : consultation seulement."""

    model = MontantExecute
    fields = ["fiche", "financeur", "montant", "updated_by", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RapportExecution)
class RapportExecutionAdmin(admin.ModelAdmin):
    list_display = ["contrat", "annee", "version", "statut"]
    ordering = ordre_affiche(RapportExecution)
    list_filter = ["statut", "annee"]
    list_select_related = ["contrat__departement", "contrat__generation"]
    readonly_fields = ["contrat", "annee", "version", "statut", "soumis_le", "valide_le"]
    inlines = [SectionInline, MontantExecuteInline, ValidationInline]


@admin.register(CommentaireSection)
class CommentaireSectionAdmin(admin.ModelAdmin):
    list_display = ["section", "institution", "auteur", "created_at"]
    ordering = ordre_affiche(CommentaireSection)
    list_select_related = ["section__rapport", "section__fiche", "institution", "auteur"]
    raw_id_fields = ["section"]


@admin.register(VersionArretee)
class VersionArreteeAdmin(admin.ModelAdmin):
    list_display = ["rapport", "numero", "arrete_le", "arrete_par"]
    ordering = ordre_affiche(VersionArretee)
    list_select_related = ["rapport__contrat__departement", "arrete_par"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(GenerationFichier)
class GenerationFichierAdmin(admin.ModelAdmin):
    """Productions des fichiers en tâche de fond : consultation (l'erreur détaillée d'un
    échec est dans « Task Results » de django-tasks)."""

    list_display = ["rapport", "version", "format", "statut", "demande_le", "termine_le"]
    ordering = ordre_affiche(GenerationFichier)
    list_filter = ["statut", "format"]
    list_select_related = ["rapport__contrat__departement"]
    readonly_fields = [f.name for f in GenerationFichier._meta.fields]

    def has_add_permission(self, request):
        return False

"""Journal des accès dans l'administration : en lecture seule (ni ajout, ni
modification, ni suppression à la main ; la purge passe par `purger_journal`)."""

from django.contrib import admin

from .models import Acces


@admin.register(Acces)
class AccesAdmin(admin.ModelAdmin):
    list_display = ["at", "personne", "institution", "nature", "objet", "contrat"]
    list_filter = ["nature", ("at", admin.DateFieldListFilter)]
    search_fields = ["personne", "objet"]
    date_hierarchy = "at"
    list_select_related = ["institution", "contrat__departement", "contrat__generation"]
    fields = ["at", "personne", "user", "institution", "contrat", "nature", "objet", "chemin", "ip"]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

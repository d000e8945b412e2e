"""Administration pour les opérateurs : contrats, signataires, habilitations.

Les fiches actions y sont en lecture seule : elles se modifient dans
l'application, qui tient l'historique et le verrou optimiste.
"""

from django.contrib import admin

from .invitations import Invitation
from .models import Contrat, FicheAction, Habilitation, Signataire, ordre_affiche


class SignataireInline(admin.TabularInline):
    model = Signataire
    extra = 0
    autocomplete_fields = ["institution"]


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Contrat)
class ContratAdmin(admin.ModelAdmin):
    list_display = ["__str__", "departement", "generation", "statut", "date_signature"]
    list_filter = ["generation", "statut", "departement__region"]
    search_fields = ["departement__nom", "departement__code"]
    autocomplete_fields = ["departement"]
    inlines = [SignataireInline, HabilitationInline]


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = ["user", "contrat", "role"]
    list_filter = ["role", "contrat__generation"]
    search_fields = ["user__email", "user__last_name", "contrat__departement__nom"]
    autocomplete_fields = ["user", "contrat"]


@admin.register(FicheAction)
class FicheActionAdmin(admin.ModelAdmin):
    list_display = ["numero", "titre", "contrat", "etat", "a_impact"]
    ordering = ordre_affiche(FicheAction)
    list_filter = ["contrat", "etat", "a_impact"]
    search_fields = ["titre", "referent"]
    readonly_fields = [f.name for f in FicheAction._meta.fields] + ["objectifs", "referents"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Consultation seule : les invitations se créent, se renvoient et se révoquent dans
    l'application (« Personnes et droits »), qui tient l'historique du contrat."""

    list_display = [
        "email",
        "contrat",
        "role",
        "get_etat_display",
        "sent_at",
        "email_status",
        "expires_at",
    ]
    list_filter = ["role", "email_status", "contrat__generation"]
    search_fields = ["email", "last_name", "contrat__departement__nom"]
    exclude = ["token_hash", "token_hash_precedent"]

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in Invitation._meta.fields if f.name not in self.exclude]
        return fields + ["fiches"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "institution", "perimetre", "is_staff"]
    list_filter = ["perimetre", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["institution", "region"]
    # Posé par ProConnect à la première connexion : on le lit, on ne le réécrit pas.
    readonly_fields = ["proconnect_sub"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "institution"]}),
        ("Périmètre", {"fields": ["perimetre", "region"]}),
        ("ProConnect", {"fields": ["proconnect_sub"]}),
        (
            "Droits d'administration",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

"""Formulaires du mot de passe (changement, oubli), ceux de Django au rendu DSFR.

Les règles de longueur (12 caractères) et de mots de passe courants sont celles
d'`AUTH_PASSWORD_VALIDATORS`, appliquées par les formulaires de Django."""

from django import forms
from django.contrib.auth import forms as auth_forms

from pilotage.core.forms import DsfrForm


class PasswordChangeForm(DsfrForm, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(DsfrForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse électronique de votre compte",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SetPasswordForm(DsfrForm, auth_forms.SetPasswordForm):
    pass

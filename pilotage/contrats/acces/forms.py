"""Formulaires des personnes et des droits : inviter, changer un rôle, créer son compte
depuis une invitation, donner un périmètre. Les règles sont dans les services."""

from django import forms
from django.contrib.auth import get_user_model

from pilotage.core.forms import DsfrForm
from pilotage.core.requests import posted_pk
from pilotage.territoires.models import Region

from ..models import Contrat, FicheAction
from ..roles import Role
from . import selectors

FICHES_AIDE = "Pour un référent de fiche seulement : les fiches qu'il tiendra à jour."


class FichesField(forms.ModelMultipleChoiceField):
    """Cases des fiches : un identifiant forgé (texte, nombre trop grand pour la base) est
    une erreur du formulaire, jamais une erreur 500 de la base."""

    def _check_values(self, value):
        for pk in value:
            if posted_pk({"pk": str(pk)}, "pk") is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def _fiches_field(contrat: Contrat) -> FichesField:
    field = FichesField(
        label="Fiches (référent de fiche)",
        queryset=FicheAction.objects.filter(contrat=contrat).only("id", "numero", "titre"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=FICHES_AIDE,
        error_messages={
            "invalid_choice": "Choisissez des fiches de ce contrat.",
            "invalid_pk_value": "Choisissez des fiches de ce contrat.",
        },
    )
    field.label_from_instance = lambda f: f"n°{f.numero} – {f.titre[:90]}"
    return field


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.LECTEUR)


class InvitationForm(DsfrForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    institution = forms.ModelChoiceField(
        label="Institution",
        queryset=None,
        required=False,
        empty_label="— Choisir —",
        error_messages={"invalid_choice": "Choisissez une institution de la liste."},
    )

    def __init__(self, *args, contrat: Contrat, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = selectors.institutions_du_contrat(contrat)
        self.fields["role"] = _role_field()
        self.fields["fiches"] = _fiches_field(contrat)


class RoleForm(DsfrForm):
    def __init__(self, *args, contrat: Contrat, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field()
        self.fields["fiches"] = _fiches_field(contrat)


class CompteForm(DsfrForm):
    """Création d'un compte local depuis une invitation : nom et mot de passe."""

    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="12 caractères au moins ; évitez les mots de passe courants.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return data


class PerimetreForm(DsfrForm):
    email = forms.EmailField(label="Adresse électronique du compte", max_length=254)
    perimetre = forms.ChoiceField(
        label="Périmètre",
        choices=[
            (value, label)
            for value, label in get_user_model().Perimetre.choices
            if value != get_user_model().Perimetre.LOCAL
        ],
    )
    region = forms.ModelChoiceField(
        label="Région (périmètre régional)",
        queryset=Region.objects.order_by("nom"),
        required=False,
        empty_label="— Choisir —",
        error_messages={"invalid_choice": "Choisissez une région de la liste."},
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(
                "Aucun compte n'a cette adresse : la personne doit d'abord être invitée sur "
                "un contrat (page « Personnes et droits ») et accepter l'invitation. Se "
                "connecter avec ProConnect sans invitation ne crée pas de compte."
            )
        self.person = person
        return email

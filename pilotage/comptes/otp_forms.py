"""Formulaires de la double authentification (rendu DSFR)."""

from django import forms
from django.core.validators import RegexValidator

from pilotage.core.forms import DsfrForm

#: Un code à 6 chiffres ou un code de secours (8 lettres et chiffres), espaces et tirets
#: tolérés ; au-delà de 20 caractères, refusé sans être lu.
CODE_MAX_LENGTH = 20


class SecondFactorForm(DsfrForm):
    code = forms.CharField(
        label="Code à 6 chiffres, ou code de secours",
        help_text="Le code affiché en ce moment par votre application d'authentification.",
        max_length=CODE_MAX_LENGTH,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9 -]+$",
                "Tapez seulement les chiffres du code (ou les lettres et chiffres d'un code de secours).",
            )
        ],
        error_messages={
            "required": "Tapez le code affiché par votre application.",
            "max_length": "Ce code est trop long : un code compte 6 chiffres (8 caractères pour un code de secours).",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class EnrolmentForm(DsfrForm):
    code = forms.CharField(
        label="Code à 6 chiffres affiché par l'application",
        max_length=CODE_MAX_LENGTH,
        validators=[RegexValidator(r"^[0-9 ]{6,9}$", "Le code compte 6 chiffres.")],
        error_messages={
            "required": "Tapez le code à 6 chiffres affiché par votre application.",
            "max_length": "Le code compte 6 chiffres.",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class RecoveryCodesNotedForm(DsfrForm):
    noted = forms.BooleanField(
        label="J'ai noté ces codes (ou je les ai téléchargés) et je les garde en lieu sûr",
        error_messages={"required": "Cochez la case une fois les codes notés ou téléchargés."},
    )

"""Formulaire du circuit de validation du compte rendu."""

from django import forms

from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin
from pilotage.core.free_text import FreeTextField


class ValidationForm(PersonalDataCheckMixin, DsfrForm):
    """Avis d'un pilote : les remarques sont obligatoires pour demander des modifications
    (le service le vérifie aussi) ; le texte est contrôlé comme les autres textes libres."""

    personal_data_fields = ["commentaire"]

    commentaire = FreeTextField(
        kind="commentaire",
        label="Modifications demandées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour demander des modifications : ce qu'il faut corriger ou ajouter.",
    )

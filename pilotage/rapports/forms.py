"""Formulaires du rapport d'exécution : année à préparer, texte d'une section, action
la plus pertinente d'une source de financement, commentaire. Les textes libres passent
le garde-fou « données personnelles »."""

from django import forms

from pilotage.contrats.models import FicheAction
from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin
from pilotage.core.free_text import FreeTextField


class PreparerForm(DsfrForm):
    annee = forms.TypedChoiceField(
        label="Année du rapport",
        coerce=int,
        error_messages={"invalid_choice": "Choisissez une année du contrat sans rapport."},
    )

    def __init__(self, *args, annees: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(a, str(a)) for a in annees]


class SectionForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["texte"]

    texte = FreeTextField(kind="fiche", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, label: str = "Texte", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["texte"].label = label


class ActionPertinenteForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["texte"]

    fiche = forms.ModelChoiceField(
        label="Action retenue",
        queryset=FicheAction.objects.none(),
        required=False,
        empty_label="— Choisir une fiche —",
        error_messages={"invalid_choice": "Choisissez une fiche de ce contrat."},
    )
    texte = FreeTextField(
        kind="commentaire",
        label="Pourquoi cette action (texte court)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, fiches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].queryset = fiches
        self.fields["fiche"].label_from_instance = lambda f: f"n°{f.numero_affiche} – {f.titre}"


class CommentaireForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["texte"]

    texte = FreeTextField(
        kind="commentaire",
        label="Votre commentaire",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez votre commentaire."},
    )

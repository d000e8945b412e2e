from django import forms

from pilotage.core.forms import DsfrForm

MAX_UPLOAD_MO = 10


class ImportForm(DsfrForm):
    fichier = forms.FileField(
        label="Document contenant les fiches actions",
        help_text=(
            f"Formats acceptés : Word (.docx) ou OpenDocument (.odt), {MAX_UPLOAD_MO} Mo au plus. "
            "Une ou plusieurs fiches par document, selon le modèle officiel. "
            "Tableur (.xlsx ou .ods) : une ligne par fiche, sous une ligne d'en-tête."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.odt,.xlsx,.ods"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > MAX_UPLOAD_MO * 1024 * 1024:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale de {MAX_UPLOAD_MO} Mo."
            )
        if fichier.size == 0:
            raise forms.ValidationError("Le fichier est vide.")
        return fichier


class ImportValeursForm(ImportForm):
    """Tableur des valeurs d'indicateurs : mêmes limites que le dépôt des fiches."""

    fichier = forms.FileField(
        label="Tableur des valeurs",
        help_text=(
            f"Formats acceptés : Excel (.xlsx) ou OpenDocument (.ods), {MAX_UPLOAD_MO} Mo au plus. "
            "Une ligne par indicateur et par année (colonnes « Fiche », « Indicateur », "
            "« Année », « Valeur »), ou une colonne par année (« 2024 », « 2025 »)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods"}),
    )

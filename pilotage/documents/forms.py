"""Formulaires des documents : dépôt d'un document ou d'un tableur de valeurs, choix de
l'aperçu d'un import (lignes suivies absentes, lignes d'indicateurs regroupées)."""

from django import forms
from dsfr.widgets import InlineRadioSelect

from pilotage.core.forms import DsfrForm

MAX_UPLOAD_MO = 10

#: Choix pour une ligne suivie absente du document réimporté (indicateur, étape, acteur).
CONSERVER, RETIRER = "conserver", "retirer"


class RetraitsForm(DsfrForm):
    """Aperçu d'un réimport : pour chaque ligne suivie que le document ne porte plus,
    « Conserver » (par défaut) ou « Marquer comme retiré ». Un champ par ligne, nommé par
    sa clé (`services.Absent.key`)."""

    def __init__(self, *args, absents=(), **kwargs):
        super().__init__(*args, **kwargs)
        for absent in absents:
            self.fields[absent.key] = forms.ChoiceField(
                label=f"Fiche n°{absent.fiche_numero} – {absent.nature} « {absent.libelle} »",
                help_text=f"Suivi : {absent.suivi}.",
                choices=[(CONSERVER, "Conserver"), (RETIRER, "Marquer comme retiré")],
                initial=RETIRER if absent.retiree else CONSERVER,
                widget=InlineRadioSelect,
            )

    @staticmethod
    def retraits(data) -> set[str]:
        """Les clés des lignes à marquer retirées dans une confirmation envoyée ; le service
        ignore une clé qui ne désigne pas une ligne absente du document."""
        return {
            key
            for key, value in data.items()
            if key.startswith("retrait-") and value == RETIRER and len(key) <= 60
        }


class RegroupementsForm(DsfrForm):
    """Aperçu d'un import : une case « Garder ces lignes séparées » par regroupement de
    lignes d'indicateurs (`regroupements.RegroupementApercu`), décochée par défaut ; un
    champ par regroupement, nommé par sa clé ; cochée, la case défait le regroupement."""

    def __init__(self, *args, regroupements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regroupements = list(regroupements)
        for groupe in self.regroupements:
            self.fields[groupe.key] = forms.BooleanField(
                label="Garder ces lignes séparées",
                help_text=(
                    f"Fiche n°{groupe.fiche_numero} : « {groupe.libelle} » réunit "
                    f"{len(groupe.lignes)} lignes du document."
                ),
                required=False,
                initial=groupe.separe,
            )

    def par_regroupement(self) -> list[tuple]:
        """(regroupement, case à cocher) pour l'aperçu."""
        return [(groupe, self[groupe.key]) for groupe in self.regroupements]


class ImportForm(DsfrForm):
    fichier = forms.FileField(
        label="Document contenant les fiches actions",
        help_text=(
            f"Formats acceptés : Word (.docx) ou OpenDocument (.odt), {MAX_UPLOAD_MO} Mo au plus. "
            "Une ou plusieurs fiches par document, selon le modèle officiel. "
            "Tableur (.xlsx ou .ods) : une ligne par fiche, sous une ligne d'en-tête. "
            "PDF publié (.pdf, produit par un traitement de texte, pas numérisé) : lecture "
            "approximative, chaque rubrique est à vérifier dans l'aperçu."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.odt,.xlsx,.ods,.pdf"}),
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

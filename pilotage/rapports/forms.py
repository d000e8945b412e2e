"""Formulaires du rapport d'exécution : année à préparer, texte d'une section, action
la plus pertinente d'une source de financement, commentaire. Les textes libres passent
le garde-fou « données personnelles »."""

from django import forms

from pilotage.contrats.models import FicheAction
from pilotage.core.formats import euros
from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin
from pilotage.core.free_text import FreeTextField

from .models import MONTANT_MAX


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


class MontantField(forms.DecimalField):
    """Un montant en euros écrit à la française (« 12 500,50 », « 12500 € ») ; vide : non
    saisi. Borné comme le modèle (0 à 9 999 999 999,99)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 20})
        )
        message = f"Indiquez un montant entre 0 et {euros(MONTANT_MAX)}, par exemple 12 500,50."
        super().__init__(
            required=False,
            min_value=0,
            max_value=MONTANT_MAX,
            max_digits=12,
            decimal_places=2,
            error_messages={
                "invalid": "Indiquez un montant en euros, par exemple 12 500,50.",
                "min_value": message,
                "max_value": message,
                "max_digits": message,
                "max_whole_digits": message,
                "max_decimal_places": "Indiquez au plus deux décimales (les centimes).",
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()[:40]
            for char in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(char, "")
            value = value.replace(",", ".")
        return super().to_python(value)


class MontantsExecutesForm(DsfrForm):
    """Le montant exécuté de chaque ligne de l'annexe financière (fiche et financeur),
    un champ par ligne (`execute_<rang>`), dans l'ordre de l'annexe calculée."""

    def __init__(self, *args, lignes, **kwargs):
        super().__init__(*args, **kwargs)
        self.cles: dict[str, tuple[str, str]] = {}
        self.rangees: list[tuple[object, str]] = []
        for rang, ligne in enumerate(lignes):
            cle = (ligne.fiche, ligne.financeur)
            if cle in self.cles.values():  # « Autre » en deux lignes : un seul montant
                self.rangees.append((ligne, ""))
                continue
            name = f"execute_{rang}"
            self.cles[name] = cle
            self.fields[name] = MontantField(
                label=f"Exécuté – fiche n°{ligne.fiche}, {ligne.financeur_libelle}",
                initial=ligne.execute,
            )
            self.rangees.append((ligne, name))

    def lignes_champs(self):
        """[(ligne de l'annexe, champ du montant ou None)], dans l'ordre de l'annexe."""
        return [(ligne, self[name] if name else None) for ligne, name in self.rangees]

    def montants(self) -> dict[tuple[str, str], object]:
        """{(numéro de fiche, code du financeur) : montant ou None} (après `is_valid`)."""
        return {cle: self.cleaned_data.get(name) for name, cle in self.cles.items()}

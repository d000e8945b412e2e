from django import forms
from django.db.models import Q

from pilotage.core.dates import plausible_date, plausible_year, plausible_years
from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin
from pilotage.core.free_text import FreeTextField

from .models import Releve, ValeurIndicateur


class ValeurForm(PersonalDataCheckMixin, forms.ModelForm, DsfrForm):
    personal_data_fields = ["commentaire"]

    class Meta:
        model = ValeurIndicateur
        fields = [
            "annee",
            "semestre",
            "valeur",
            "numerateur",
            "denominateur",
            "taux_indique",
            "source",
            "commentaire",
        ]
        widgets = {"commentaire": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"commentaire": FreeTextField.of("commentaire")}
        help_texts = {
            "valeur": "Pour un nombre. Pour un taux, remplissez plutôt numérateur et dénominateur.",
        }

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicateur = indicateur
        self.generation = indicateur.fiche.contrat.generation
        first, last = plausible_years(self.generation)
        self.fields["annee"].widget.attrs.update({"min": first, "max": last})

    def clean_annee(self):
        annee = self.cleaned_data["annee"]
        plausible_year(annee, generation=self.generation)
        return annee

    def clean(self):
        data = super().clean()
        has_ratio = data.get("numerateur") is not None or data.get("denominateur") is not None
        if data.get("valeur") is None and not has_ratio:
            raise forms.ValidationError(
                "Indiquez une valeur, ou un numérateur et un dénominateur pour un taux."
            )
        if has_ratio and (data.get("numerateur") is None or data.get("denominateur") is None):
            raise forms.ValidationError(
                "Un taux demande à la fois un numérateur et un dénominateur."
            )
        if data.get("denominateur") is not None and data["denominateur"] <= 0:
            self.add_error("denominateur", "Le dénominateur doit être supérieur à zéro.")
        return data

    def _post_clean(self):
        # La valeur est créée par le service : pas de validation du modèle incomplet ici.
        pass


class ReleveForm(PersonalDataCheckMixin, forms.ModelForm, DsfrForm):
    personal_data_fields = ["situation", "questions", "faits", "ameliorations"]

    class Meta:
        model = Releve
        fields = [
            "indicateur",
            "date_observation",
            "situation",
            "questions",
            "faits",
            "ameliorations",
        ]
        widgets = {
            "date_observation": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "faits": forms.Textarea(attrs={"rows": 5}),
            "ameliorations": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            name: FreeTextField.of("releve") for name in ("questions", "faits", "ameliorations")
        }

    nouvel_indicateur = forms.CharField(
        label="Ou nouvel indicateur qualitatif",
        required=False,
        max_length=1000,
        help_text="S'il n'est pas dans la liste : il sera ajouté aux indicateurs de la fiche "
        "(et à son historique).",
        error_messages={"max_length": "Le nom de l'indicateur tient en 1 000 caractères au plus."},
    )

    #: Message affiché quand la fiche n'a encore aucun indicateur qualitatif.
    AUCUN_INDICATEUR = (
        "Cette fiche n'a pas encore d'indicateur qualitatif : nommez celui que ce relevé observe."
    )

    def __init__(self, *args, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiche = fiche
        # Un indicateur retiré ne reçoit plus de relevé, sauf celui qu'observe déjà ce relevé.
        choices = fiche.indicateurs.filter(nature="qualitatif").filter(
            Q(retire_le__isnull=True) | Q(pk=self.instance.indicateur_id)
        )
        indicateur = self.fields["indicateur"]
        indicateur.queryset = choices
        indicateur.required = False
        indicateur.empty_label = "Choisissez l'indicateur observé"
        indicateur.help_text = "Un indicateur de la fiche, ou un nouveau nommé ci-dessous."
        # Le nouvel indicateur se nomme juste après la liste des indicateurs existants.
        self.order_fields(["indicateur", "nouvel_indicateur"])
        self.sans_indicateur = not choices.exists()
        if self.sans_indicateur:
            del self.fields["indicateur"]
            nouveau = self.fields["nouvel_indicateur"]
            nouveau.required = True
            nouveau.error_messages["required"] = self.AUCUN_INDICATEUR
            # Le champ lié a déjà été créé (classes DSFR) : libellé et aide se posent sur lui.
            bound = self["nouvel_indicateur"]
            bound.label = nouveau.label = "Indicateur qualitatif observé"
            bound.help_text = nouveau.help_text = self.AUCUN_INDICATEUR

    def clean_date_observation(self):
        value = self.cleaned_data["date_observation"]
        plausible_date(value, generation=self.fiche.contrat.generation)
        return value

    def clean(self):
        data = super().clean()
        if self.sans_indicateur:
            return data
        chosen, named = data.get("indicateur"), data.get("nouvel_indicateur", "").strip()
        if chosen is None and not named and "nouvel_indicateur" not in self.errors:
            self.add_error(
                "indicateur", "Choisissez l'indicateur observé ou nommez un nouvel indicateur."
            )
        elif chosen is not None and named:
            self.add_error(
                "nouvel_indicateur",
                "Choisissez un indicateur existant ou nommez-en un nouveau, pas les deux.",
            )
        return data


class ReleveActionForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["commentaire"]
    commentaire = FreeTextField(
        kind="commentaire",
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

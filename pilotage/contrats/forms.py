"""Formulaires de la fiche action : rubriques simples et listes (formsets)."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms import BaseInlineFormSet, inlineformset_factory

from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin, Select, check_formsets
from pilotage.core.free_text import FreeTextField
from pilotage.referentiel.models import IndicateurNational, Objectif

from .models import Contrat, Etat, FicheAction, Habilitation, Indicateur
from .services import FICHE_FIELDS, FICHE_LISTS, FICHE_TEXTS

#: Relations de la fiche saisies dans son formulaire, chacune après la rubrique qu'elle suit.
_RELATIONS_APRES = {"titre": "objectifs", "referent": "referents"}

TEXTAREA_HELP = "Une ligne commençant par « - » devient un élément de liste."


class FicheFiltresForm(DsfrForm):
    """Filtres de la page d'accueil du contrat (en GET)."""

    objectif = forms.TypedChoiceField(
        label="Objectif",
        required=False,
        coerce=int,
        empty_value=None,
        widget=Select,
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), ("retard", "En retard")] + list(Etat.choices),
        widget=Select,
    )
    referent = forms.ChoiceField(label="Référent", required=False, widget=Select)
    a_impact = forms.BooleanField(label="Actions à impact seulement", required=False)

    def __init__(self, *args, contrat: Contrat, objectifs, referents: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectif"].choices = [("", "Tous les objectifs")] + [
            (o.numero, f"Objectif n°{o.numero}") for o in objectifs if o.numero is not None
        ]  # un objectif sans numéro (génération 2020-2024) se retrouve dans son groupe
        self.fields["referent"].choices = [("", "Tous les référents")] + [(r, r) for r in referents]


class FicheForm(PersonalDataCheckMixin, forms.ModelForm, DsfrForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Toute rubrique rédigée est contrôlée ; pas les numéros, en-têtes recopiés et choix.
    personal_data_fields = [
        name
        for name in FICHE_FIELDS
        if name
        not in {
            "numero",
            "numero_texte",
            "entete_objectifs",
            "departement_libelle",
            "etat",
            "fiche_beneficiaire",
            "a_impact",
        }
    ]

    class Meta:
        model = FicheAction
        # Les rubriques simples, les objectifs après le titre, les référents après le référent.
        fields = [
            name
            for rubrique in FICHE_FIELDS
            for name in (rubrique, _RELATIONS_APRES.get(rubrique))
            if name
        ]
        widgets = {
            "objectifs": forms.CheckboxSelectMultiple,
            "referents": forms.CheckboxSelectMultiple,
            "constat": forms.Textarea(attrs={"rows": 5}),
            "objectif_operationnel": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "moyens_texte": forms.Textarea(attrs={"rows": 3}),
            "calendrier_texte": forms.Textarea(attrs={"rows": 3}),
            "motif_abandon": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {name: FreeTextField.of("fiche") for name in FICHE_TEXTS}
        help_texts = {
            "constat": TEXTAREA_HELP,
            "objectif_operationnel": TEXTAREA_HELP,
            "description": TEXTAREA_HELP,
            "moyens_texte": "Texte de la fiche signée. Les montants sont détaillés plus bas.",
            "calendrier_texte": "Texte de la fiche signée. Les étapes sont détaillées plus bas.",
        }

    def __init__(self, *args, contrat: Contrat, **kwargs):
        super().__init__(*args, **kwargs)
        self.contrat = contrat
        self.fields["objectifs"].queryset = Objectif.objects.filter(
            generation_id=contrat.generation_id
        )
        self.fields["objectifs"].label_from_instance = lambda o: (
            f"Objectif n°{o.numero} ({o.statut_libelle})"
            + ("" if o.titre_a_completer else f" – {o.titre}")
        )
        self.fields["referents"].queryset = (
            get_user_model()
            .objects.filter(
                habilitations__contrat=contrat, habilitations__role=Habilitation.Role.REFERENT
            )
            .distinct()
        )
        others = FicheAction.objects.filter(contrat=contrat)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["fiche_beneficiaire"].queryset = others
        self.fields["fiche_beneficiaire"].label_from_instance = lambda f: (
            f"Fiche n°{f.numero} – {f.titre}"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("etat") == Etat.ABANDONNEE
            and not (cleaned.get("motif_abandon") or "").strip()
        ):
            self.add_error("motif_abandon", "Indiquez le motif de l'abandon de l'action.")
        return cleaned


class LigneForm(forms.ModelForm, DsfrForm):
    """Une ligne d'une liste de la fiche (acteur, financement, jalon…)."""


class IndicateurForm(LigneForm):
    # Liste de choix calculée une seule fois pour tout le formset (voir IndicateurFormSet).
    indicateur_national = forms.TypedChoiceField(
        label="Indicateur national", required=False, coerce=int, empty_value=None
    )

    #: Champs hors modèle rendus aux services (le choix est résolu en objet par le formset).
    extra_fields = ["indicateur_national"]

    class Meta:
        model = Indicateur
        # Les champs saisissables de la liste (`services.FICHE_LISTS`), dans leur ordre,
        # sauf l'indicateur national, champ hors modèle (`extra_fields`).
        fields = [name for name in FICHE_LISTS["indicateurs"][1] if name != "indicateur_national"]
        widgets = {"libelle": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, national_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicateur_national"].choices = [("", "Aucun")] + list(national_choices)
        if self.instance.pk:
            self.initial["indicateur_national"] = self.instance.indicateur_national_id


class BaseLignesFormSet(BaseInlineFormSet):
    def rows(self) -> list[dict]:
        """Les lignes conservées, dans l'ordre, en dictionnaires pour les services."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            names = [*form._meta.fields, *getattr(form, "extra_fields", [])]
            row = {name: form.cleaned_data.get(name) for name in names}
            if form.instance.pk:
                row["id"] = form.instance.pk
            rows.append(row)
        return rows


class IndicateurFormSet(BaseLignesFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._national = {
            i.pk: i
            for i in IndicateurNational.objects.filter(
                generation_id=self.instance.contrat.generation_id
            )
        }

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["national_choices"] = [(pk, i.libelle) for pk, i in self._national.items()]
        return kwargs

    def rows(self) -> list[dict]:
        rows = super().rows()
        for row in rows:
            row["indicateur_national"] = self._national.get(row.get("indicateur_national"))
        return rows


def _formset(relation: str, fields=None, formset=BaseLignesFormSet, form=LigneForm, widgets=None):
    """Formset d'une liste liée de la fiche : modèle et champs saisissables pris dans
    `services.FICHE_LISTS`, sauf `fields` donnés par le formulaire de ligne. Ceux de
    FICHE_LISTS sont copiés : le formset ajoute sa clé étrangère (`fiche`) à la liste reçue,
    et les services ne doivent pas la poser."""
    model, list_fields, _label = FICHE_LISTS[relation]
    return inlineformset_factory(
        FicheAction,
        model,
        form=form,
        formset=formset,
        fields=fields or list(list_fields),
        widgets=widgets or {},
        extra=1,
        can_delete=True,
    )


FORMSETS = {
    "acteurs": ("Identification des acteurs à mobiliser", _formset("acteurs")),
    "financements": ("Moyens financiers prévisionnels", _formset("financements")),
    "jalons": (
        "Calendrier prévisionnel",
        _formset(
            "jalons",
            widgets={
                "date_prevue": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                "date_realisation": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            },
        ),
    ),
    "indicateurs": (
        "Indicateurs quantitatifs et qualitatifs",
        _formset(
            "indicateurs",
            IndicateurForm.Meta.fields,
            formset=IndicateurFormSet,
            form=IndicateurForm,
        ),
    ),
    "points_vigilance": (
        "Points de vigilance",
        _formset("points_vigilance", widgets={"libelle": forms.Textarea(attrs={"rows": 2})}),
    ),
}


def build_formsets(fiche: FicheAction, data=None) -> dict:
    return {
        name: (title, factory(data, instance=fiche, prefix=name))
        for name, (title, factory) in FORMSETS.items()
    }


ROW_TEXT_FIELDS = ["nom", "implication", "libelle", "note", "periode", "valeur_texte"]


def check_rows_personal_data(form: FicheForm, formsets: dict) -> bool:
    """Applique le garde-fou aux lignes des listes (acteurs, points de vigilance…).

    Les passages trouvés rejoignent ceux des rubriques du formulaire principal : même
    avertissement, même case de confirmation. Renvoie False s'il faut confirmer.
    """
    return check_formsets(form, formsets.values(), ROW_TEXT_FIELDS)

"""Formulaires de l'espace partagé : minces, les règles sont dans les services."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin
from pilotage.core.free_text import FreeTextField
from pilotage.referentiel.models import Objectif

from . import fichiers
from .models import Proposition, Rubrique
from .services import LIEN_MAX, TITRE_MAX, lien_valider


class FichierField(forms.FileField):
    """Fichier de l'espace : taille annoncée et refusée avant lecture (la vérification du
    contenu est celle du service)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", fichiers.AIDE)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = fichiers.ACCEPT

    def validate(self, value):
        super().validate(value)
        if value and value.size > fichiers.MAX_BYTES:
            raise forms.ValidationError(fichiers.TROP_GROS)


class RessourceForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["titre", "resume"]

    titre = forms.CharField(label="Titre", max_length=TITRE_MAX)
    rubrique = forms.ModelChoiceField(label="Rubrique", queryset=Rubrique.objects.none())
    resume = FreeTextField(
        kind="resume",
        label="Résumé",
        help_text="Quelques lignes : à quoi sert la ressource, pour qui (600 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fichier = FichierField(label="Fichier", required=False)
    lien = forms.CharField(
        label="Ou un lien",
        required=False,
        max_length=LIEN_MAX,
        help_text="Adresse web complète (http:// ou https://), à la place d'un fichier.",
    )
    objectifs = forms.ModelMultipleChoiceField(
        label="Objectifs du référentiel concernés",
        required=False,
        queryset=Objectif.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="La ressource sera proposée sur les fiches actions de ces objectifs.",
    )

    def __init__(self, *args, objectifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubrique"].queryset = Rubrique.objects.all()
        self.fields["objectifs"].queryset = objectifs

    def clean_lien(self):
        lien = self.cleaned_data["lien"].strip()
        return lien_valider(lien) if lien else ""


class VersionForm(DsfrForm):
    fichier = FichierField(label="Nouvelle version du fichier")


class ActualiteForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["titre", "texte"]

    titre = forms.CharField(label="Titre", max_length=TITRE_MAX)
    texte = FreeTextField(
        kind="actualite",
        label="Texte",
        help_text="Une courte actualité (1 500 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PropositionForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["titre", "texte"]

    titre = forms.CharField(label="Votre proposition, en une phrase", max_length=TITRE_MAX)
    texte = FreeTextField(
        kind="proposition",
        label="Explication",
        help_text="Ce qui pourrait être amélioré dans le processus de suivi et pourquoi "
        "(3 000 caractères au plus). Aucune donnée permettant d'identifier une personne.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReponseForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["reponse"]

    statut = forms.ChoiceField(label="Statut")
    reponse = FreeTextField(
        kind="proposition", label="Réponse", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, proposition: Proposition, **kwargs):
        super().__init__(*args, **kwargs)
        permis = (proposition.statut, *proposition.statuts_possibles())
        self.fields["statut"].choices = [
            (value, label) for value, label in Proposition.Statut.choices if value in permis
        ]
        self.fields["statut"].initial = proposition.statut
        self.fields["reponse"].initial = proposition.reponse


class EditeursForm(DsfrForm):
    emails = forms.CharField(
        label="Adresses électroniques des éditeurs",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une adresse par ligne : ces personnes publient dans cet espace en plus "
        "de celles que leur rôle y autorise.",
    )

    def clean_emails(self):
        adresses = {a.strip().lower() for a in self.cleaned_data["emails"].split() if a.strip()}
        if len(adresses) > 100:
            raise forms.ValidationError("100 éditeurs au plus.")
        condition = Q(pk__in=[])
        for adresse in adresses:
            condition |= Q(email__iexact=adresse)
        users = list(get_user_model().objects.filter(condition, is_active=True))
        inconnues = adresses - {u.email.lower() for u in users}
        if inconnues:
            raise forms.ValidationError(
                "Aucun compte actif pour : " + ", ".join(sorted(inconnues)) + "."
            )
        return users


class RubriqueForm(DsfrForm):
    nom = forms.CharField(label="Nom de la rubrique", max_length=80)
    description = forms.CharField(label="Description", required=False, max_length=300)
    ordre = forms.IntegerField(label="Ordre d'affichage", min_value=0, max_value=99, initial=0)

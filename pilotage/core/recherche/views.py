"""Page de recherche `/recherche/?q=…` : un formulaire GET, utilisable sans JavaScript."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from pilotage.core.forms import DsfrForm

from .registre import CHOIX, CHOIX_SORTES, SORTES
from .requete import QUESTION_MAX, Filtres, search


class RechercheForm(DsfrForm):
    q = forms.CharField(
        label="Rechercher",
        max_length=QUESTION_MAX,
        required=False,
        error_messages={"max_length": "La recherche tient en 200 caractères au plus."},
    )
    sorte = forms.ChoiceField(label="Sorte", required=False)
    contrat = forms.TypedChoiceField(label="Contrat", required=False, coerce=int, empty_value=None)
    objectif = forms.TypedChoiceField(
        label="Objectif", required=False, coerce=int, empty_value=None
    )
    espace = forms.TypedChoiceField(label="Espace", required=False, coerce=int, empty_value=None)
    rubrique = forms.TypedChoiceField(
        label="Rubrique (ressources)", required=False, coerce=int, empty_value=None
    )
    depuis = forms.DateField(
        label="Depuis le", required=False, widget=forms.DateInput({"type": "date"})
    )
    jusqu_a = forms.DateField(
        label="Jusqu'au", required=False, widget=forms.DateInput({"type": "date"})
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sorte"].choices = [("", "Toutes")] + [
            (s.nom, s.libelle) for s in SORTES.values()
        ]
        for nom in ("contrat", "objectif", "espace", "rubrique"):
            choix = CHOIX[nom](user) if nom in CHOIX else []
            self.fields[nom].choices = [("", "Toutes" if nom == "rubrique" else "Tous")] + choix
        # La rubrique n'est montrée que si elle sert : des rubriques existent et la sorte
        # choisie (ou aucune) est de celles qu'elle range.
        sorte = self.data.get("sorte", "") if self.is_bound else ""
        self.rubrique_pertinente = len(self.fields["rubrique"].choices) > 1 and (
            not sorte or sorte in CHOIX_SORTES.get("rubrique", (sorte,))
        )

    def clean(self):
        data = super().clean()
        if not self.rubrique_pertinente:
            data["rubrique"] = None  # champ caché : une valeur restée dans l'adresse ne sert pas
        return data


@login_required
def recherche(request):
    form = RechercheForm(request.GET or None, user=request.user)
    resultats = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        filtres = Filtres(
            sorte=data["sorte"] or "",
            contrat=data["contrat"],
            objectif=data["objectif"],
            espace=data["espace"],
            rubrique=data["rubrique"],
            depuis=data["depuis"],
            jusqu_a=data["jusqu_a"],
        )
        resultats = search(request.user, data["q"], filtres, page=data["page"] or 1)
    return render(request, "core/recherche.html", {"form": form, "resultats": resultats})

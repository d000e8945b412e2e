"""Filtres du journal des accès (en GET) : personne, nature, période, contrat."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from pilotage.core.forms import DsfrForm

from .models import Acces

#: Une période de recherche tient en dix ans (au-delà, une date saisie est une faute).
PERIODE_MAX = datetime.timedelta(days=3660)


class JournalFiltresForm(DsfrForm):
    personne = forms.TypedChoiceField(
        label="Personne", required=False, coerce=int, empty_value=None
    )
    nature = forms.ChoiceField(
        label="Nature", required=False, choices=[("", "Toutes")] + list(Acces.Nature.choices)
    )
    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date (jour/mois/année)."},
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date (jour/mois/année)."},
    )
    contrat = forms.TypedChoiceField(label="Contrat", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, personnes=None, contrats=None, **kwargs):
        """`personnes` : [(id, libellé)] pour la page d'un contrat ; `contrats` : [(id,
        libellé)] pour le journal national. Un critère sans liste n'est pas proposé."""
        super().__init__(*args, **kwargs)
        if personnes is None:
            del self.fields["personne"]
        else:
            self.fields["personne"].choices = [("", "Toutes")] + list(personnes)
        if contrats is None:
            del self.fields["contrat"]
        else:
            self.fields["contrat"].choices = [("", "Tous")] + list(contrats)

    def clean(self):
        data = super().clean()
        du, au = data.get("du"), data.get("au")
        if du and au:
            if du > au:
                raise ValidationError("La date de début doit précéder la date de fin.")
            if au - du > PERIODE_MAX:
                raise ValidationError("Choisissez une période de dix ans au plus.")
        return data

"""La liste déroulante des filtres rend le même HTML que celle de Django, option par option."""

import pytest
from django import forms

from pilotage.contrats.forms import OptionsRenduesUneFois

CHOIX = [
    ("", "Tous"),
    ("a<b", "Référent « A & B » <script>"),
    (3, "Objectif n°3"),
    ("zz", "Dernier"),
]


def _formulaire(widget, choices=CHOIX):
    class Formulaire(forms.Form):
        champ = forms.ChoiceField(choices=choices, required=False, widget=widget)

    return Formulaire


@pytest.mark.parametrize("valeur", [None, "", "a<b", "3", "inconnue"])
def test_same_html_as_django_select_for_each_selected_value(valeur):
    data = None if valeur is None else {"champ": valeur}
    attendu = str(_formulaire(forms.Select)(data)["champ"])
    assert str(_formulaire(OptionsRenduesUneFois)(data)["champ"]) == attendu
    assert attendu.count("<option") == len(CHOIX)


def test_grouped_choices_rendered_by_django_templates():
    groupes = [("", "Aucun"), ("Groupe", [("1", "Un"), ("2", "Deux")])]
    attendu = str(_formulaire(forms.Select, groupes)({"champ": "2"})["champ"])
    rendu = str(_formulaire(OptionsRenduesUneFois, groupes)({"champ": "2"})["champ"])
    assert rendu == attendu
    assert "<optgroup" in rendu


def test_select_without_choices_same_html():
    attendu = str(_formulaire(forms.Select, [])()["champ"])
    assert str(_formulaire(OptionsRenduesUneFois, [])()["champ"]) == attendu


def test_lists_sharing_rendered_options_same_html_as_django():
    class Attendu(forms.Form):
        premier = forms.ChoiceField(choices=CHOIX, required=False)
        second = forms.ChoiceField(choices=CHOIX[1:], required=False)

    class Partage(forms.Form):
        premier = forms.ChoiceField(choices=CHOIX, required=False, widget=OptionsRenduesUneFois)
        second = forms.ChoiceField(choices=CHOIX[1:], required=False, widget=OptionsRenduesUneFois)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            gabarits = {}
            for champ in self.fields.values():
                champ.widget.gabarits = gabarits

    data = {"premier": "3", "second": "zz"}
    partage = Partage(data)
    assert [str(partage[nom]) for nom in ("premier", "second")] == [
        str(Attendu(data)[nom]) for nom in ("premier", "second")
    ]
    assert partage.fields["premier"].widget.gabarits  # rendus une fois, repris par la seconde

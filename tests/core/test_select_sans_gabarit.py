"""La liste déroulante rendue en Python (`core.forms.Select`) : le même HTML que celle de
Django, dans un formulaire DSFR, quelles que soient la valeur, l'erreur et les options."""

import pytest
from django import forms
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from pilotage.core.forms import DsfrForm, Select

paresseux = lazy(str, str)

CHOIX = [
    ("", "— Choisir —"),
    ("a<b", "Référent « A & B » <script>"),
    (3, "Objectif n°3"),
    ('x"y', paresseux("Libellé paresseux")),
    ("sur", mark_safe("<em>déjà échappé</em>")),
]


def _rendus(choices=CHOIX, data=None, required=False, **attrs):
    rendus = []
    for widget in (forms.Select, Select):

        class Formulaire(DsfrForm):
            champ = forms.ChoiceField(
                choices=choices, required=required, widget=widget(attrs=attrs or None)
            )

        rendus.append(str(Formulaire(data)["champ"].as_field_group()))
    return rendus


@pytest.mark.parametrize("valeur", [None, "", "a<b", "3", 'x"y', "inconnue"])
@pytest.mark.parametrize("required", [True, False])
def test_same_html_as_django_select(valeur, required):
    data = None if valeur is None else {"champ": valeur}
    attendu, rendu = _rendus(data=data, required=required, **{"data-x": "1<2", "hidden": True})
    assert rendu == attendu
    assert rendu.count("<option") == len(CHOIX)


def test_grouped_or_empty_choices_same_html():
    groupes = [("", "Aucun"), ("Groupe", [("1", "Un"), ("2", "Deux")])]
    attendu, rendu = _rendus(groupes, {"champ": "2"})
    assert rendu == attendu and "<optgroup" in rendu
    attendu, rendu = _rendus([])
    assert rendu == attendu


def test_dsfr_keeps_its_select_class():
    """django-dsfr reconnaît la liste (classe « fr-select », groupe « fr-select-group »)."""
    _attendu, rendu = _rendus()
    assert 'class="fr-select"' in rendu and "fr-select-group" in rendu

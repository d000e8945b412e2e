"""Adresses construites une fois pour toute une liste (contrats.cartes) : les mêmes que
celles de `reverse`, objet par objet."""

import pytest
from django.urls import reverse

from pilotage.contrats.cartes import adresses


@pytest.mark.parametrize("nom", ["contrats:contrat", "reunions:decisions", "reunions:list"])
def test_an_address_built_once_is_the_one_reverse_gives_for_each_object(nom):
    adresse = adresses(nom)
    for pk in (1, 9, 42, 101, 98765):
        assert adresse(pk) == reverse(nom, args=[pk])

"""Adresses construites une fois pour toute une page (contrats.adresses) : les mêmes que
celles de `reverse`, objet par objet."""

import pytest
from django.urls import reverse

from pilotage.contrats.adresses import (
    PAGES_DE_LA_FICHE,
    adresses,
    adresses_de_la_fiche,
    adresses_des_fiches,
)


@pytest.mark.parametrize("nom", ["contrats:contrat", "reunions:decisions", "reunions:list"])
def test_an_address_built_once_is_the_one_reverse_gives_for_each_object(nom):
    adresse = adresses(nom)
    for pk in (1, 9, 42, 101, 98765):
        assert adresse(pk) == reverse(nom, args=[pk])


@pytest.mark.parametrize("cle", sorted(PAGES_DE_LA_FICHE))
def test_each_page_of_a_fiche_built_from_its_address_is_the_one_reverse_gives(cle):
    nom, _ = PAGES_DE_LA_FICHE[cle]
    extra = [cle] if nom == "documents:fiche_export" else []
    for contrat_pk, numero in ((1, 1), (9, 12), (101, 3)):
        adresses = adresses_de_la_fiche(contrat_pk, numero)
        assert adresses[cle] == reverse(nom, args=[contrat_pk, numero, *extra])
        assert adresses["fiche"] == reverse("contrats:fiche", args=[contrat_pk, numero])


def test_the_address_of_each_fiche_is_the_one_reverse_gives():
    for contrat_pk in (1, 14, 987654321, 98765432198):
        fiche_url = adresses_des_fiches(contrat_pk)
        for numero in (1, 9, 10, 123, 987654321):
            assert fiche_url(numero) == reverse("contrats:fiche", args=[contrat_pk, numero])

"""Adresses des fiches résolues une fois par page : les mêmes que `reverse`."""

from django.urls import reverse

from pilotage.reunions.views.adresses import adresses_des_fiches


def test_the_address_of_each_fiche_is_the_one_reverse_gives():
    for contrat_pk in (1, 14, 987654321, 98765432198):
        fiche_url = adresses_des_fiches(contrat_pk)
        for numero in (1, 9, 10, 123, 987654321):
            assert fiche_url(numero) == reverse("contrats:fiche", args=[contrat_pk, numero])

"""Filtre « Référent » de la page du contrat : les variantes de casse d'un même nom ne font
qu'un choix, qui retrouve toutes ses fiches."""

from django.urls import reverse

from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def test_case_variants_of_a_referent_are_one_choice_that_finds_all_their_fiches(client, db):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, 1, user=pilote, referent="Mme Martin (PMI)")
    make_fiche(contrat, 2, user=pilote, referent="MME MARTIN (PMI)")
    make_fiche(contrat, 3, user=pilote, referent="ASE")
    client.force_login(pilote)
    page = reverse("contrats:contrat", args=[contrat.pk])
    body = client.get(page).content.decode()
    assert body.count(">Mme Martin (PMI)</option>") == 1
    assert "MME MARTIN (PMI)</option>" not in body
    filtered = client.get(page, {"referent": "Mme Martin (PMI)"}).context["fiches"]
    assert [f.numero for f in filtered] == [1, 2]

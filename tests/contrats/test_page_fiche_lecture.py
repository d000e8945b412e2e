"""Page de la fiche : le contrat est lu avec la fiche, s'il est visible ; une fiche
absente ou d'un contrat invisible répond 404, comme avant."""

from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def test_the_fiche_page_answers_404_for_a_missing_fiche_or_an_invisible_contract(client, db):
    contrat = ContratFactory()
    autre = ContratFactory(departement=Departement.objects.get(code="41"))
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, 1, user=pilote)
    make_fiche(autre, 1)
    client.force_login(pilote)
    page = client.get(f"/contrats/{contrat.pk}/fiches/1/")
    assert page.status_code == 200
    assert page.context["contrat"] == contrat and page.context["fiche"].contrat == contrat
    assert page.context["contrat"].departement.nom in page.content.decode()
    assert client.get(f"/contrats/{contrat.pk}/fiches/2/").status_code == 404
    assert client.get(f"/contrats/{autre.pk}/fiches/1/").status_code == 404
    assert client.get("/contrats/999999/fiches/1/").status_code == 404

"""La démonstration montre une invitation en attente sur le contrat de la Creuse."""

from django.contrib.auth import get_user_model

from pilotage.contrats.invitations import Invitation
from pilotage.contrats.models import Contrat


def test_the_demo_creuse_contract_has_one_pending_invitation(
    client, demo_data, django_assert_max_num_queries
):
    contrat = Contrat.objects.get(departement__code="23")
    invitation = Invitation.objects.get(contrat=contrat)
    assert invitation.email.endswith("@demo.pilotage.test")
    assert invitation.etat == Invitation.Etat.EN_ATTENTE
    client.force_login(get_user_model().objects.get(email="pilote.cd@demo.pilotage.test"))
    client.get(f"/contrats/{contrat.pk}/acces/")
    with django_assert_max_num_queries(14):
        page = client.get(f"/contrats/{contrat.pk}/acces/")
    assert page.status_code == 200
    assert "nouvelle.referente@demo.pilotage.test" in page.text
    assert "Camille Pilote-CD" in page.text

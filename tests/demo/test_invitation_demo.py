"""L'invitation en attente de la démonstration : sans adresse donnée à la commande, son
courriel mène à SITE_URL (avec l'adresse du serveur lancé : test_commande_demo.py)."""

from django.core import mail
from django.core.management import call_command

from pilotage.demo.services import DEMO_INVITATION


def _invitation_mail():
    (message,) = [m for m in mail.outbox if m.to == [DEMO_INVITATION]]
    return message.body


def test_without_an_address_the_demo_invitation_link_uses_site_url(db, settings):
    settings.SITE_URL = "https://pilotage.exemple.test"
    call_command("charger_demo", "--silencieux")
    assert "https://pilotage.exemple.test/invitations/" in _invitation_mail()

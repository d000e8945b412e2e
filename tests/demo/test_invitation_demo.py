"""L'invitation en attente de la démonstration : son courriel (affiché dans la console
au démarrage de `make demo`) mène au serveur réellement lancé."""

from django.core import mail
from django.core.management import call_command

from pilotage.demo.services import DEMO_INVITATION


def _invitation_mail():
    (message,) = [m for m in mail.outbox if m.to == [DEMO_INVITATION]]
    return message.body


def test_the_demo_invitation_link_uses_the_address_given_to_the_command(db):
    call_command("charger_demo", "--silencieux", "--adresse", "http://127.0.0.1:8765")
    body = _invitation_mail()
    assert "http://127.0.0.1:8765/invitations/" in body
    assert "localhost:8000" not in body


def test_without_an_address_the_demo_invitation_link_uses_site_url(db, settings):
    settings.SITE_URL = "https://pilotage.exemple.test"
    call_command("charger_demo", "--silencieux")
    assert "https://pilotage.exemple.test/invitations/" in _invitation_mail()

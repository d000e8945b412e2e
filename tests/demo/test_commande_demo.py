"""`make demo` lance `charger_demo --adresse <adresse réelle>` : ce qu'elle affiche (les
comptes, l'adresse), l'invitation en attente qui mène au serveur lancé, la recherche
indexée aussitôt. La commande entière ne tourne qu'une fois pour tout le module, dans une
transaction annulée à la fin (la charge prend quelques secondes)."""

import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from pilotage.core.models import EntreeRecherche
from pilotage.core.recherche import Filtres, search
from pilotage.demo.services import DEMO_INVITATION, DEMO_PASSWORD
from tests.conftest import FAST_PASSWORD_HASHERS

# Chaque test dans sa transaction (emboîtée dans celle du module) : pytest-django range
# les tests qui touchent la base avant les autres, le module reste ainsi d'un seul tenant
# et la commande ne tourne qu'une fois.
pytestmark = pytest.mark.django_db

ADRESSE = "http://127.0.0.1:8765"
#: Les courriels partent dans le processus, comme pour chaque test (tests/conftest.py).
TACHES_IMMEDIATES = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass(frozen=True)
class Chargement:
    sortie: str
    invitation: str  # corps du courriel d'invitation en attente


@pytest.fixture(scope="module")
def chargement(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-commande")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, TASKS=TACHES_IMMEDIATES
        ),
        transaction.atomic(),
    ):
        out = io.StringIO()
        mail.outbox = []
        call_command("charger_demo", "--adresse", ADRESSE, stdout=out)
        (invitation,) = [m.body for m in mail.outbox if m.to == [DEMO_INVITATION]]
        yield Chargement(sortie=out.getvalue(), invitation=invitation)
        transaction.set_rollback(True)


def test_command_prints_the_demo_logins(chargement):
    assert "referent@demo.pilotage.test" in chargement.sortie
    assert DEMO_PASSWORD in chargement.sortie


def test_command_prints_the_address_the_server_really_listens_on(chargement):
    assert f"Ouvrez {ADRESSE} et connectez-vous" in chargement.sortie


def test_the_demo_invitation_link_uses_the_address_given_to_the_command(chargement):
    assert f"{ADRESSE}/invitations/" in chargement.invitation
    assert "localhost:8000" not in chargement.invitation


def test_charger_demo_finit_par_indexer_la_recherche(chargement):
    assert "élément(s) indexé(s)" in chargement.sortie
    assert EntreeRecherche.objects.filter(sorte="fiche").exists()
    pilote = get_user_model().objects.get(email="pilote.cd@demo.pilotage.test")
    assert search(pilote, "enfants", Filtres(sorte="fiche")).total > 0

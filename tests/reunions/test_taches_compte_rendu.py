"""Une demande de modifications sur un compte rendu crée une tâche pour les pilotes du
contrat ; les rappels par courriel mènent à chaque tâche."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.models import Reunion
from pilotage.reunions.services import compte_rendu_submit, compte_rendu_validate
from pilotage.suivi import services
from pilotage.suivi.tasks import nombre_taches, taches_de

TODAY = datetime.date(2026, 11, 22)
PILOTES = ("pilote.cd", "pilote.ddets", "pilote.ars")


def user(name):
    return get_user_model().objects.get(email=f"{name}@demo.pilotage.test")


@pytest.fixture
def en_validation(demo_data):
    # Démo : le compte rendu du 24/09/2026 est en validation, déjà validé par le CD.
    contrat = Contrat.objects.get(departement__code="23")
    return Reunion.objects.get(contrat=contrat, statut=Reunion.Statut.EN_VALIDATION)


@pytest.fixture
def demande(en_validation):
    compte_rendu_validate(
        reunion=en_validation,
        user=user("pilote.ddets"),
        avis="remarques",
        commentaire="Ajouter la décision sur le financement de la CRIP.",
    )
    en_validation.refresh_from_db()
    return en_validation


def test_a_change_request_gives_every_pilot_of_the_contract_a_task(demande):
    for name in PILOTES:
        [reunion] = taches_de(user(name), TODAY).comptes_rendus_a_reprendre
        assert reunion == demande, name
        [remarque] = reunion.demandes
        assert remarque.commentaire == "Ajouter la décision sur le financement de la CRIP."
        assert nombre_taches(user(name), TODAY) == taches_de(user(name), TODAY).total
    for name in ("lecteur", "referent", "validateur", "pilote.41"):
        assert taches_de(user(name), TODAY).comptes_rendus_a_reprendre == [], name


def test_without_a_change_request_there_is_nothing_to_rework(en_validation):
    for name in PILOTES:
        assert taches_de(user(name), TODAY).comptes_rendus_a_reprendre == [], name


def test_the_task_ends_when_the_minutes_are_submitted_again(demande):
    compte_rendu_submit(reunion=demande, user=user("pilote.cd"))
    assert taches_de(user("pilote.cd"), TODAY).comptes_rendus_a_reprendre == []


def test_the_task_is_on_my_tasks_page_with_the_request_and_a_link(demande, client):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get("/taches/").content.decode()
    assert "Comptes rendus à reprendre" in page
    assert "Ajouter la décision sur le financement de la CRIP." in page
    url = f"/contrats/{demande.contrat_id}/reunions/{demande.pk}/compte-rendu/"
    assert f'href="{url}">Reprendre le compte rendu' in page
    home = client.get("/").content.decode()
    assert "1 compte rendu à reprendre" in home


def test_reminders_link_to_each_task_and_to_my_tasks(demande, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://pilotage.example.gouv.fr"
    services.rappels_send(today=TODAY)
    body = next(m for m in mail.outbox if m.to == ["pilote.cd@demo.pilotage.test"]).body
    url = f"/contrats/{demande.contrat_id}/reunions/{demande.pk}/compte-rendu/"
    assert "Comptes rendus de réunion à reprendre (modifications demandées) :" in body
    assert "Ajouter la décision sur le financement de la CRIP." in body
    assert f"https://pilotage.example.gouv.fr{url}" in body
    assert "« Mes tâches » : https://pilotage.example.gouv.fr/taches/" in body
    referent = next(m for m in mail.outbox if m.to == ["referent@demo.pilotage.test"]).body
    assert "https://pilotage.example.gouv.fr/contrats/" in referent  # collecte en retard


def test_the_reminder_command_takes_the_site_address(demande, settings):
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("envoyer_rappels", "--adresse", "https://autre.example.gouv.fr/")
    assert mail.outbox
    assert all("https://autre.example.gouv.fr/taches/" in m.body for m in mail.outbox)

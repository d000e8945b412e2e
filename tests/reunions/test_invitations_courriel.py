"""Sort des courriels d'invitation à une réunion : la liste des participants dit, pour
chacun, si son invitation est en cours d'envoi, partie ou en échec (inscrit par le
travailleur des tâches), avec une alerte qui nomme ceux dont le courriel n'est pas parti."""

import smtplib

import pytest
from django.core import mail

from pilotage.core.models import EmailStatus
from pilotage.reunions import services
from pilotage.reunions.models import Participation
from pilotage.reunions.services.planning import participation_email_track
from tests.factories import make_fiche
from tests.htmx import parse_page
from tests.reunions.helpers import at, url

CAF = "direction@caf.exemple.test"
WARNING = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-alert--warning ')]"


@pytest.fixture
def reunion(contrat, pilote):
    make_fiche(contrat, 1, user=pilote, a_impact=True)
    reunion = services.reunion_create(
        contrat=contrat,
        user=pilote,
        fields={
            "date": at(30),
            "duree_minutes": 120,
            "lieu": "Guéret",
            "ordre_du_jour": "a_impact",
        },
    )
    services.participation_add(reunion=reunion, nom="Directrice CAF", email=CAF)
    return reunion


def invitation_cell(client, reunion, who: str) -> str:
    page = parse_page(client.get(url("detail", reunion)))
    (table,) = page.xpath('//table[caption="Participants, par institution"]')
    headers = [th.text_content().strip() for th in table.xpath("./thead//th")]
    (row,) = [tr for tr in table.xpath(".//tr[@id]") if who in tr.text_content()]
    cell = row.xpath("./td")[headers.index("Invitation")]
    return " ".join(" ".join(cell.itertext()).split())


def warnings(client, reunion) -> list[str]:
    page = parse_page(client.get(url("detail", reunion)))
    return [" ".join(a.text_content().split()) for a in page.xpath(WARNING)]


def send(client, reunion, capture):
    with capture(execute=True):
        response = client.post(url("invitations", reunion))
    assert response.status_code == 302


def test_each_participant_shows_its_invitation_on_its_way_then_gone(
    client, reunion, pilote, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(pilote)
    send(client, reunion, django_capture_on_commit_callbacks)
    caf = Participation.objects.get(email=CAF)
    assert caf.email_status == EmailStatus.EN_FILE and caf.invitation_envoyee_le
    assert invitation_cell(client, reunion, "Directrice CAF").startswith(
        "En cours d'envoi envoi lancé le "
    )

    tasks_worker()

    caf.refresh_from_db()
    assert caf.email_status == EmailStatus.ENVOYE and caf.email_status_at
    assert CAF in {m.to[0] for m in mail.outbox}
    assert invitation_cell(client, reunion, "Directrice CAF").startswith("Parti le ")
    assert warnings(client, reunion) == []


def test_a_failed_invitation_is_named_in_an_alert_until_a_new_send_leaves(
    client, reunion, pilote, tasks_worker, django_capture_on_commit_callbacks, monkeypatch
):
    def fail(self, messages):
        raise smtplib.SMTPRecipientsRefused({CAF: (550, b"inconnu")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    client.force_login(pilote)
    send(client, reunion, django_capture_on_commit_callbacks)
    tasks_worker()

    caf = Participation.objects.get(email=CAF)
    assert caf.email_status == EmailStatus.ECHEC
    assert "SMTPRecipientsRefused" in caf.email_error
    cell = invitation_cell(client, reunion, "Directrice CAF")
    assert cell.startswith("Échec de l'envoi le ") and "renvoyez les invitations" in cell
    (alert,) = warnings(client, reunion)
    assert "Invitation non partie" in alert and f"Directrice CAF ({CAF})" in alert

    monkeypatch.undo()
    send(client, reunion, django_capture_on_commit_callbacks)
    tasks_worker()
    caf.refresh_from_db()
    assert caf.email_status == EmailStatus.ENVOYE
    assert warnings(client, reunion) == []


def test_without_a_queue_the_invitation_is_gone_at_once(reunion, pilote):
    services.invitations_send(reunion=reunion, user=pilote)
    assert set(Participation.objects.values_list("email_status", flat=True)) == {EmailStatus.ENVOYE}


def test_the_outcome_of_an_older_send_or_a_forged_stamp_changes_nothing(reunion, pilote):
    services.invitations_send(reunion=reunion, user=pilote)
    caf = Participation.objects.get(email=CAF)
    older = caf.invitation_envoyee_le.replace(year=2025).isoformat()
    participation_email_track(caf.pk, older, "SMTPException : trop tard")
    participation_email_track(caf.pk, "pas une date", "SMTPException : forgé")
    caf.refresh_from_db()
    assert caf.email_status == EmailStatus.ENVOYE and not caf.email_error

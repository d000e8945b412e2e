"""Courriel d'une invitation. Son sort : le pilote voit, dans « Personnes et droits », si le
courriel est en cours d'envoi, parti ou en échec (le travailleur des tâches l'inscrit),
et peut renvoyer tout de suite une invitation dont le courriel n'est pas parti. Le lien
d'avant un renvoi, rouvert depuis l'ancien courriel, dit qu'un plus récent le remplace."""

import datetime
import logging
import re
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from pilotage.contrats.acces import invitations as services
from pilotage.contrats.invitations import Invitation
from pilotage.core import courriels
from pilotage.core.courriels import courriel_envoyer
from pilotage.core.models import EmailStatus
from tests.htmx import parse_page

EMAIL = "nouvelle.personne@exemple.test"
LIEN = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


WARNING = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-alert--warning ')]"


def acces_url(contrat) -> str:
    return f"/contrats/{contrat.pk}/acces/"


def invite(client, contrat, capture):
    with capture(execute=True):
        response = client.post(
            f"/contrats/{contrat.pk}/acces/inviter/", {"email": EMAIL, "role": "lecteur"}
        )
    assert response.status_code == 302
    return Invitation.objects.get(email=EMAIL)


def courriel_cell(client, contrat) -> str:
    """Le texte de la colonne « Courriel » de la ligne de l'invitation."""
    page = parse_page(client.get(acces_url(contrat)))
    (table,) = page.xpath('//table[caption="Invitations envoyées, pas encore acceptées"]')
    headers = [th.text_content().strip() for th in table.xpath("./thead//th")]
    (row,) = [tr for tr in table.xpath("./tbody/tr") if EMAIL in tr.text_content()]
    cell = row.xpath("./td")[headers.index("Courriel")]
    return " ".join(" ".join(cell.itertext()).split())


def warning_alerts(client, contrat) -> list[str]:
    page = parse_page(client.get(acces_url(contrat)))
    return [" ".join(a.text_content().split()) for a in page.xpath(WARNING)]


@pytest.fixture
def mail_server_down(monkeypatch):
    def fail(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    return monkeypatch


def test_the_list_says_the_mail_is_on_its_way_then_that_it_left(
    client, contrat, pilote, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(pilote)
    invitation = invite(client, contrat, django_capture_on_commit_callbacks)
    assert invitation.email_status == EmailStatus.EN_FILE
    assert courriel_cell(client, contrat) == "En cours d'envoi"

    tasks_worker()

    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.ENVOYE and invitation.email_status_at
    assert len(mail.outbox) == 1
    assert courriel_cell(client, contrat).startswith("Parti le ")


def test_a_failed_mail_is_shown_with_an_alert_and_can_be_resent_at_once(
    client, contrat, pilote, tasks_worker, django_capture_on_commit_callbacks, mail_server_down
):
    client.force_login(pilote)
    invitation = invite(client, contrat, django_capture_on_commit_callbacks)
    tasks_worker()

    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.ECHEC
    assert "SMTPServerDisconnected" in invitation.email_error
    cell = courriel_cell(client, contrat)
    assert cell.startswith("Échec de l'envoi le ") and "renvoyez l'invitation" in cell
    (alert,) = warning_alerts(client, contrat)
    assert "Courriel d'invitation non parti" in alert and EMAIL in alert

    # Le serveur revient : le renvoi passe sans attendre les cinq minutes du délai.
    mail_server_down.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/contrats/{contrat.pk}/acces/invitations/{invitation.pk}/renvoyer/"
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.EN_FILE and not invitation.email_error
    tasks_worker()
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.ENVOYE
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert warning_alerts(client, contrat) == []


def test_a_mail_that_left_still_waits_five_minutes_before_a_resend(contrat, pilote):
    invitation = services.invitation_create(
        contrat=contrat, user=pilote, email=EMAIL, role="lecteur"
    )
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.ENVOYE  # sans file : parti sur-le-champ
    with pytest.raises(Exception, match="vient d'être envoyée"):
        services.invitation_resend(invitation=invitation, user=pilote)


def test_the_outcome_of_an_older_send_does_not_overwrite_the_newer_one(contrat, pilote):
    invitation = services.invitation_create(
        contrat=contrat, user=pilote, email=EMAIL, role="lecteur"
    )
    ancien = invitation.token_hash
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash="0" * 64, email_status=EmailStatus.EN_FILE
    )
    services.invitation_email_track(invitation.pk, ancien, "SMTPException : trop tard")
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.EN_FILE and not invitation.email_error


def test_a_failing_outcome_recorder_is_logged_and_does_not_fail_the_mail(db, caplog, monkeypatch):
    def broken(pk, envoi, erreur):
        raise RuntimeError("base indisponible")

    monkeypatch.setitem(courriels.TRACKERS, "essai", broken)
    with caplog.at_level(logging.ERROR, logger="pilotage.core.courriels"):
        courriel_envoyer(
            subject="Sujet", body="Corps", to=["a@exemple.test"], tracking=("essai", 1, "x")
        )
    assert len(mail.outbox) == 1
    assert "Suivi de l'envoi essai 1 impossible" in caplog.text


def test_a_send_of_an_unknown_kind_is_sent_without_any_outcome_recorded(db):
    courriel_envoyer(
        subject="Sujet", body="Corps", to=["a@exemple.test"], tracking=("inconnue", 1, "x")
    )
    assert len(mail.outbox) == 1


def test_a_link_replaced_twice_is_no_longer_recognised_but_the_last_replaced_one_is(
    client, contrat, pilote
):
    jetons = []
    invitation = services.invitation_create(
        contrat=contrat, user=pilote, email=EMAIL, role="lecteur"
    )
    for _ in range(2):
        jetons.append(LIEN.search(mail.outbox[-1].body).group(1))
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now() - datetime.timedelta(minutes=10)
        )
        services.invitation_resend(invitation=invitation, user=pilote)
    first, second = jetons
    assert client.get(f"/invitations/{first}/").status_code == 404
    replaced = client.get(f"/invitations/{second}/")
    assert replaced.status_code == 410 and "ouvrez le dernier courriel" in replaced.text


def test_a_replaced_link_of_an_accepted_invitation_says_it_was_accepted(client, contrat, pilote):
    invitation = services.invitation_create(
        contrat=contrat, user=pilote, email=EMAIL, role="lecteur"
    )
    old = LIEN.search(mail.outbox[-1].body).group(1)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    services.invitation_resend(invitation=invitation, user=pilote)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    response = client.get(f"/invitations/{old}/")
    assert response.status_code == 410 and "déjà été acceptée" in response.text

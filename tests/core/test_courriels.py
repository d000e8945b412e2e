"""Courriels en tâche de fond (core.courriels) : confiés à la file quand la transaction est
validée, envoyés par le travailleur `db_worker` ; sur-le-champ sans file (tests)."""

import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pilotage.core.courriels import courriel_envoyer, send_email_task


def invitation(**overrides) -> dict:
    return {
        "subject": "Invitation : comité de pilotage",
        "body": "Bonjour,\nvous êtes invitée.",
        "to": ["referente@example.gouv.fr"],
        "reply_to": ["pilote@example.gouv.fr"],
        "attachments": [("invitation.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")],
        **overrides,
    }


def test_the_task_sends_the_email_with_its_reply_address_and_attachment(settings):
    send_email_task.call(
        {
            "subject": "Sujet",
            "body": "Corps",
            "to": ["a@example.gouv.fr"],
            "reply_to": ["b@example.gouv.fr"],
            "attachments": [["invitation.ics", "BEGIN:VCALENDAR\r\n", "text/calendar"]],
        }
    )
    (message,) = mail.outbox
    assert message.subject == "Sujet" and message.body == "Corps"
    assert message.to == ["a@example.gouv.fr"] and message.reply_to == ["b@example.gouv.fr"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.attachments == [("invitation.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")]


def test_without_a_queue_the_email_leaves_at_once_and_a_server_failure_reaches_the_caller(
    db, monkeypatch
):
    courriel_envoyer(**invitation())
    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.exists()

    def fail(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    with pytest.raises(smtplib.SMTPException):
        courriel_envoyer(**invitation())


def test_with_the_database_queue_the_email_waits_for_the_commit_then_for_the_worker(
    db, tasks_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        courriel_envoyer(**invitation())
        assert not DBTaskResult.objects.exists()  # rien avant la validation
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "pilotage.core.courriels.send_email_task"
    assert task.status == "READY"
    assert not mail.outbox  # la requête n'attend pas le serveur de courriel

    tasks_worker()

    (message,) = mail.outbox
    assert message.subject == "Invitation : comité de pilotage"
    assert message.attachments[0][0] == "invitation.ics"
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


def test_a_rolled_back_write_enqueues_nothing(db, tasks_worker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        courriel_envoyer(**invitation())
        raise RuntimeError("écriture refusée")
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    tasks_worker()
    assert not mail.outbox


def test_a_mail_server_failure_in_the_worker_leaves_a_failed_task_to_look_at(
    db, tasks_worker, django_capture_on_commit_callbacks, monkeypatch
):
    def fail(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    with django_capture_on_commit_callbacks(execute=True):
        courriel_envoyer(**invitation())
    tasks_worker()
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert "SMTPServerDisconnected" in task.exception_class_path

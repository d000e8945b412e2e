"""`courriel_envoyer` : version HTML jointe au texte, et mise en file par la transaction
en cours (`dans_la_transaction`) : validée, la tâche est là sans attendre ; annulée, rien."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pilotage.core.courriels import courriel_envoyer

MESSAGE = {"subject": "Résumé", "body": "Texte.", "to": ["a@example.gouv.fr"]}


def test_la_version_html_accompagne_le_texte(db):
    courriel_envoyer(**MESSAGE, html="<p>HTML</p>")
    (message,) = mail.outbox
    assert message.body == "Texte." and message.alternatives[0][0] == "<p>HTML</p>"
    assert message.alternatives[0][1] == "text/html"


def test_sans_html_le_courriel_reste_en_texte_seul(db):
    courriel_envoyer(**MESSAGE)
    assert mail.outbox[0].alternatives == []


def test_dans_la_transaction_la_tache_est_ecrite_avec_elle(db, tasks_worker):
    with transaction.atomic():
        courriel_envoyer(**MESSAGE, dans_la_transaction=True)
        assert DBTaskResult.objects.count() == 1  # sans attendre la validation
    tasks_worker()
    assert len(mail.outbox) == 1


def test_dans_une_transaction_annulee_rien_ne_part(db, tasks_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        courriel_envoyer(**MESSAGE, dans_la_transaction=True)
        raise RuntimeError("interrompu")
    assert not DBTaskResult.objects.exists()
    tasks_worker()
    assert mail.outbox == []

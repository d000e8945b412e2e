"""`manage.py purger_journal` : efface les accès plus anciens que la durée de conservation,
par lots, et ne fait rien la seconde fois."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilotage.journal.models import Acces
from pilotage.journal.services import journal_purge
from tests.factories import AccesFactory


def purge() -> str:
    out = StringIO()
    call_command("purger_journal", stdout=out)
    return out.getvalue()


def test_old_entries_are_deleted_recent_ones_kept_and_a_second_run_deletes_nothing(
    contrat, settings
):
    settings.JOURNAL_RETENTION_DAYS = 30
    now = timezone.now()
    old = [AccesFactory(contrat=contrat, at=now - datetime.timedelta(days=d)) for d in (31, 400)]
    recent = AccesFactory(contrat=contrat, at=now - datetime.timedelta(days=29))
    assert purge().strip() == "2 accès de plus de 30 jours effacés du journal."
    assert list(Acces.objects.all()) == [recent]
    assert not Acces.objects.filter(pk__in=[a.pk for a in old]).exists()
    assert purge().strip() == "Aucun accès de plus de 30 jours : rien à effacer."
    assert Acces.objects.count() == 1


def test_the_default_retention_is_one_year(settings):
    assert settings.JOURNAL_RETENTION_DAYS == 365


def test_the_purge_works_in_batches(contrat):
    at = timezone.now() - datetime.timedelta(days=10)
    AccesFactory.create_batch(7, contrat=contrat, at=at)
    assert journal_purge(days=5, batch=3) == 7
    assert not Acces.objects.exists()


def test_a_retention_below_one_day_is_refused(db):
    with pytest.raises(ValueError):
        journal_purge(days=0)

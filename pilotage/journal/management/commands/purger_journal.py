"""Efface du journal des accès les lignes plus anciennes que JOURNAL_RETENTION_DAYS jours.

À lancer chaque jour (cron, tâche planifiée) : sans effet la seconde fois.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from pilotage.journal.services import journal_purge


class Command(BaseCommand):
    help = "Efface les accès plus anciens que la durée de conservation (JOURNAL_RETENTION_DAYS)."

    def handle(self, *args, **options):
        days = settings.JOURNAL_RETENTION_DAYS
        deleted = journal_purge(days=days)
        if deleted:
            message = f"{deleted} accès de plus de {days} jours effacé{'s' if deleted > 1 else ''} du journal."
        else:
            message = f"Aucun accès de plus de {days} jours : rien à effacer."
        self.stdout.write(message)

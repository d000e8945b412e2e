"""Reconstruit l'index de recherche depuis les données (toutes les sortes inscrites)."""

from django.core.management.base import BaseCommand

from pilotage.core.recherche import reindex_all


class Command(BaseCommand):
    help = "Reconstruit l'index de la recherche plein texte."

    def handle(self, *args, **options):
        nombre = reindex_all()
        self.stdout.write(f"Index de recherche reconstruit : {nombre} élément(s).")

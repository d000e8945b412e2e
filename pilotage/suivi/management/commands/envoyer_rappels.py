"""Envoie les rappels du jour (collectes à faire, relevés à relire ou valider).

Sans risque à lancer tous les jours, et même plusieurs fois : une personne reçoit au
plus un rappel par jour.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotage.suivi.services import rappels_send


class Command(BaseCommand):
    help = "Envoie par courriel les rappels de tâches (au plus un par personne et par jour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--adresse",
            default=None,
            help="Adresse du site dans les liens des courriels (par défaut : réglage SITE_URL).",
        )

    def handle(self, *args, adresse=None, **options):
        count = rappels_send(today=timezone.localdate(), base_url=adresse)
        self.stdout.write(f"{count} rappel(s) envoyé(s).")

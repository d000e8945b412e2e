"""Envoie les rappels du jour (collectes à faire, relevés à relire ou valider).

Sans risque à lancer tous les jours, et même plusieurs fois : une personne reçoit au
plus un rappel par jour.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotage.suivi.services import rappels_send


class Command(BaseCommand):
    help = "Envoie par courriel les rappels de tâches (au plus un par personne et par jour)."

    def handle(self, *args, **options):
        count = rappels_send(today=timezone.localdate())
        self.stdout.write(f"{count} rappel(s) envoyé(s).")

"""Exporte les valeurs des indicateurs d'un contrat en CSV, XLSX ou ODS."""

from django.core.management.base import BaseCommand, CommandError

from pilotage.contrats.models import Contrat
from pilotage.suivi.spreadsheets import WRITERS, export_indicateurs


class Command(BaseCommand):
    help = "Exporte les valeurs des indicateurs d'un contrat (CSV, XLSX ou ODS)."

    def add_arguments(self, parser):
        parser.add_argument("--departement", required=True, help="Code du département, ex. 23")
        parser.add_argument("--generation", default="2025-2027")
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("-o", "--output", required=True, help="Fichier à écrire")

    def handle(self, *args, departement, generation, output, **options):
        contrat = Contrat.objects.filter(
            departement__code=departement, generation__code=generation
        ).first()
        if contrat is None:
            raise CommandError(f"Aucun contrat {generation} pour le département {departement}.")
        data = export_indicateurs(contrat, options["format"])
        with open(output, "wb") as handle:
            handle.write(data)
        self.stdout.write(f"Valeurs des indicateurs exportées dans {output}.")

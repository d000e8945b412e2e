"""Exporte un contrat complet en JSON (format décrit dans docs/format-export-contrat.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from pilotage.contrats.export import contrat_export
from pilotage.contrats.models import Contrat


class Command(BaseCommand):
    help = "Exporte un contrat (fiches, financements, calendrier, indicateurs) en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--departement", required=True, help="Code du département, ex. 23")
        parser.add_argument("--generation", default="2025-2027")
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("-o", "--output", help="Fichier de sortie (sortie standard par défaut)")

    def handle(self, *args, departement, generation, output=None, **options):
        contrat = Contrat.objects.filter(
            departement__code=departement, generation__code=generation
        ).first()
        if contrat is None:
            raise CommandError(f"Aucun contrat {generation} pour le département {departement}.")
        payload = json.dumps(contrat_export(contrat), ensure_ascii=False, indent=2)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(payload + "\n")
            except OSError as exc:
                raise CommandError(
                    f"Impossible d'écrire {output} : {exc.strerror or exc}. "
                    "Vérifiez que le dossier existe et que vous pouvez y écrire."
                ) from exc
            self.stderr.write(f"Contrat exporté dans {output}.")
        else:
            self.stdout.write(payload)  # ajoute la fin de ligne ; capturable par call_command

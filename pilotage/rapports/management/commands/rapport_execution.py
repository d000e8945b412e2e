"""Écrit le rapport d'exécution annuel d'un contrat : JSON (décrit dans
docs/format-rapport-execution.md), Word, OpenDocument, PDF, ou l'annexe financière en
tableur ; chaque format est un export inscrit dans `rapports.formats.EXPORTERS`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pilotage.contrats.models import Contrat
from pilotage.rapports.content import rapport_content
from pilotage.rapports.formats import EXPORTERS, FORMATS


def _contrat(departement: str, annee: int, generation: str | None) -> Contrat:
    contrats = Contrat.objects.filter(departement__code=departement).select_related("generation")
    if generation:
        contrat = contrats.filter(generation__code=generation).first()
        if contrat is None:
            raise CommandError(f"Aucun contrat {generation} pour le département {departement}.")
        return contrat
    covering = [c for c in contrats if annee in c.generation.annees]
    if not covering:
        raise CommandError(
            f"Aucun contrat du département {departement} ne couvre l'année {annee} "
            "(précisez --generation)."
        )
    return max(covering, key=lambda c: c.generation.annee_debut)


class Command(BaseCommand):
    help = (
        "Écrit le rapport d'exécution annuel d'un contrat (JSON, DOCX, ODT, PDF accessible, "
        "annexe financière XLSX ou ODS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--departement", required=True, help="Code du département, ex. 23")
        parser.add_argument("--annee", required=True, type=int, help="Année du rapport, ex. 2024")
        parser.add_argument(
            "--generation",
            help="Génération du contrat, ex. 2020-2024 (celle qui couvre l'année sinon)",
        )
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("-o", "--output", help="Fichier de sortie (sortie standard par défaut)")

    def handle(self, *args, departement, annee, generation=None, output=None, **options):
        fmt = options["format"]
        if not 2000 <= annee <= 2100:
            raise CommandError("L'année doit être comprise entre 2000 et 2100.")
        exporter = EXPORTERS.get(fmt)
        if exporter is None:
            raise CommandError(f"Format « {fmt} » pas encore disponible.")
        contrat = _contrat(departement, annee, generation)
        try:
            content = rapport_content(contrat, annee)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        data = exporter(content)
        if not output:
            if fmt != "json":
                raise CommandError(f"Le format « {fmt} » s'écrit dans un fichier : précisez -o.")
            self.stdout.write(data.decode(), ending="")
            return
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(
                f"Impossible d'écrire {output} : {exc.strerror or exc}. "
                "Vérifiez que le dossier existe et que vous pouvez y écrire."
            ) from exc
        self.stderr.write(f"Rapport d'exécution {annee} ({contrat}) écrit dans {output}.")

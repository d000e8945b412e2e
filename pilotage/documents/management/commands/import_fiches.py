"""Importe les fiches actions d'un document Word (.docx), OpenDocument (.odt), d'un
tableur (.xlsx, .ods : une ligne par fiche) ou d'un PDF publié (.pdf, à texte : lecture
approximative, à vérifier).

    manage.py import_fiches fiches.docx --dry-run --format json   # analyse seule, JSON
    manage.py import_fiches fiches.docx --departement 23          # enregistre dans le contrat

Avec --dry-run rien n'est enregistré ; la sortie JSON est décrite dans le README
(« Importer des fiches actions »). Une erreur (fichier illisible, contrat absent) sort
en code 1 avec un message d'une ligne sur la sortie d'erreur, rien sur la sortie standard.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError, ProgrammingError

from pilotage.contrats.models import Contrat
from pilotage.documents.importer import (
    MAX_UPLOAD_BYTES,
    ImportErreur,
    ImportResult,
    parse_document,
)
from pilotage.referentiel.models import Generation, Objectif

DEFAULT_GENERATION = "2025-2027"
NOT_AVAILABLE = "L'enregistrement n'est pas encore disponible : utilisez --dry-run."
NOT_MIGRATED = (
    "La base de données n'est pas encore créée ou pas à jour : lancez « make migrate » "
    "(ou « python manage.py migrate »), puis relancez cette commande."
)


def _migrations_pending() -> bool:
    """La base n'a pas toutes ses tables : migrations non appliquées (base neuve)."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except (OperationalError, ProgrammingError):
        return True


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} non sérialisable")


class Command(BaseCommand):
    help = (
        "Importe les fiches actions d'un document Word (.docx), OpenDocument (.odt), "
        "d'un tableur (.xlsx, .ods) ou d'un PDF publié (.pdf, à texte, pas numérisé : "
        "lecture approximative) dans le contrat 2025-2027 d'un département "
        "(--dry-run : analyse seule)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Document .docx, .odt, .xlsx, .ods ou .pdf")
        parser.add_argument(
            "--departement", help="Code du département, ex. 23 (obligatoire sans --dry-run)"
        )
        parser.add_argument("--generation", default=DEFAULT_GENERATION)
        parser.add_argument(
            "--dry-run", action="store_true", help="Analyse le document sans rien enregistrer"
        )
        parser.add_argument("--format", default="text", choices=["json", "text"])

    def handle(self, *args, file, departement=None, **options):
        if not options["dry_run"] and not departement:
            raise CommandError(
                "Indiquez le département (--departement CODE) ou utilisez --dry-run."
            )
        data, filename = self._read(file)
        try:
            self._import(data, filename, departement=departement, **options)
        except (OperationalError, ProgrammingError) as exc:
            # Une base neuve, non migrée, échoue dès la première requête : une ligne qui dit
            # quoi lancer plutôt qu'une trace de 60 lignes. Une autre erreur reste levée.
            if _migrations_pending():
                raise CommandError(NOT_MIGRATED) from exc
            raise

    def _import(self, data, filename, *, departement, generation, dry_run, **options):
        output_format = options["format"]
        contrat = self._contrat(departement, generation) if departement else None
        known = self._known_objectifs(contrat.generation if contrat else generation)
        try:
            result = parse_document(data, filename=filename, known_objectifs=known)
        except ImportErreur as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            self._print(result, output_format)
            return
        self._save(contrat, result, filename, data, output_format)

    def _read(self, file: str) -> tuple[bytes, str]:
        path = Path(file)
        try:
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise CommandError("Le fichier dépasse la taille maximale de 10 Mo.")
            return path.read_bytes(), path.name
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : « {file} ».") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"« {file} » est un dossier, pas un fichier.") from exc
        except PermissionError as exc:
            raise CommandError(f"Lecture du fichier « {file} » non autorisée.") from exc
        except OSError as exc:
            raise CommandError(f"Impossible de lire le fichier « {file} ».") from exc

    def _known_objectifs(self, generation: Generation | str) -> set[int] | None:
        """Numéros d'objectifs du référentiel de la génération (None si elle est inconnue)."""
        if isinstance(generation, str):
            generation = Generation.objects.filter(code=generation).first()
        if generation is None:
            return None
        return set(Objectif.objects.filter(generation=generation).values_list("numero", flat=True))

    def _contrat(self, departement: str, generation: str) -> Contrat:
        contrat = (
            Contrat.objects.select_related("generation", "departement")
            .filter(departement__code=departement, generation__code=generation)
            .first()
        )
        if contrat is None:
            raise CommandError(f"Aucun contrat {generation} pour le département {departement}.")
        return contrat

    def _save(self, contrat, result: ImportResult, filename: str, data: bytes, output_format):
        try:
            from pilotage.documents.services import fiches_import
        except ImportError as exc:
            raise CommandError(NOT_AVAILABLE) from exc
        outcome = fiches_import(
            contrat=contrat, result=result, user=None, filename=filename, data=data
        )
        counts = outcome.counts
        if output_format == "json":
            payload = result.to_json()
            payload["warnings"] = [w.to_json() for w in outcome.warnings]
            payload["enregistrement"] = counts
            self.stdout.write(json.dumps(payload, ensure_ascii=False, default=_json_default))
            return
        self.stdout.write(
            f"Import terminé dans le {contrat} : {counts['creation']} fiche(s) créée(s), "
            f"{counts['mise_a_jour']} mise(s) à jour, {counts['inchangee']} inchangée(s)."
        )
        self._print_warnings(outcome.warnings)

    def _print(self, result: ImportResult, output_format: str) -> None:
        if output_format == "json":
            self.stdout.write(
                json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=_json_default)
            )
            return
        self.stdout.write(f"{len(result.fiches)} fiche(s) reconnue(s) (rien n'est enregistré) :")
        for fiche in result.fiches:
            numero = f"n°{fiche.numero}" if fiche.numero is not None else "sans numéro"
            objectifs = ", ".join(f"n°{n}" for n in fiche.objectifs) or "aucun"
            self.stdout.write(
                f"- Fiche {numero} – {fiche.titre or '(sans titre)'} (objectif {objectifs}) : "
                f"{len(fiche.financements)} financement(s), {len(fiche.calendrier)} étape(s), "
                f"{len(fiche.indicateurs_quantitatifs) + len(fiche.indicateurs_qualitatifs)} "
                f"indicateur(s) ; {fiche.confiance().libelle}"
            )
        self._print_warnings(result.warnings)

    def _print_warnings(self, warnings) -> None:
        if not warnings:
            return
        self.stdout.write(f"{len(warnings)} point(s) à vérifier :")
        for warning in warnings:
            prefix = f"Fiche n°{warning.fiche_numero} : " if warning.fiche_numero else ""
            self.stdout.write(f"- {prefix}{warning.message}")

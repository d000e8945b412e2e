"""Mesure l'import du document des 17 fiches de la Creuse et l'export du contrat entier.

    .venv/bin/python bench/bench_documents.py      (ou : make bench)

Base SQLite temporaire, données de démonstration ; médiane de 5 essais par opération.
Cibles (issue « Import … et export ») : import < 1 s, export Word < 1 s, export PDF < 5 s.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="pilotage-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 5


def median_time(function) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main() -> None:
    call_command("migrate", verbosity=0)
    from pilotage.contrats.models import Contrat
    from pilotage.demo.services import demo_load
    from pilotage.documents.export import fiches_docx, fiches_odt, fiches_pdf, load_fiches
    from pilotage.documents.importer import parse_document

    demo_load()
    contrat = Contrat.objects.get(departement__code="23")
    try:
        from tests.documents.docx_builder import build_creuse_docx

        document = build_creuse_docx()
    except ImportError:  # dossier tests absent : on relit notre propre export
        document = fiches_docx(load_fiches(contrat), contrat=contrat)

    rows = [
        (
            "import du document des 17 fiches (analyse)",
            lambda: parse_document(document, filename="creuse.docx"),
            1.0,
        ),
        (
            "export Word du contrat (17 fiches)",
            lambda: fiches_docx(load_fiches(contrat), contrat=contrat),
            1.0,
        ),
        (
            "export OpenDocument du contrat",
            lambda: fiches_odt(load_fiches(contrat), contrat=contrat),
            1.0,
        ),
        ("export PDF du contrat", lambda: fiches_pdf(load_fiches(contrat), contrat=contrat), 5.0),
    ]
    print(f"| opération | médiane sur {RUNS} essais (s) | cible (s) | tenue |")
    print("| --- | --- | --- | --- |")
    for label, function, target in rows:
        value = median_time(function)
        print(f"| {label} | {value:.3f} | < {target:g} | {'oui' if value < target else 'NON'} |")


if __name__ == "__main__":
    main()

"""Mesure l'analyse des documents importés : corpus de variantes, 40 fiches en Word et en PDF.

    .venv/bin/python bench/bench_import.py      (ou : make bench)

Seule l'analyse est chronométrée (`parse_document`, ce que font l'envoi et l'aperçu),
pas le démarrage de Django ni l'écriture en base. Le corpus est celui des tests
(`tests/documents/corpus`, chaque variante en .docx et en .odt) ; le document de
40 fiches est un contrat du jeu national fictif (`generer_donnees_nationales`), exporté
en Word et en PDF par l'application elle-même. Médiane de 3 essais par fichier ; la
dernière colonne rapporte chaque durée à celle du Word de 40 fiches, mesurée dans la
même exécution. Cible (issue 14) : moins d'une seconde pour le Word de 40 fiches.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="pilotage-bench-import-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 3
FICHES = 40
TARGET_DOCX_SECONDS = 1.0


def median_time(function) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def documents_40_fiches() -> tuple[bytes, bytes]:
    """Un contrat fictif de 40 fiches, exporté en Word et en PDF."""
    from pilotage.contrats.models import Contrat
    from pilotage.demo.services import DEMO_PASSWORD
    from pilotage.demo.services.national import donnees_nationales_generer
    from pilotage.documents.export import fiches_docx, fiches_pdf, load_fiches

    call_command("migrate", verbosity=0)
    donnees_nationales_generer(departements=1, fiches=FICHES, reunions=1, password=DEMO_PASSWORD)
    contrat = Contrat.objects.filter(donnees_fictives=True).first()
    fiches = list(load_fiches(contrat))
    return fiches_docx(fiches, contrat=contrat), fiches_pdf(fiches, contrat=contrat)


def main() -> None:
    from pilotage.documents.importer import parse_document
    from tests.documents.corpus.generer import generer

    docx, pdf = documents_40_fiches()
    corpus = generer(Path(TMP) / "corpus")
    files = [(f"{FICHES} fiches (export Word)", "fiches.docx", docx)]
    files.append((f"{FICHES} fiches (export PDF)", "fiches.pdf", pdf))
    files += [(name, name, path.read_bytes()) for name, path in sorted(corpus.items())]

    rows = []
    for label, filename, data in files:
        result = parse_document(data, filename=filename)
        seconds = median_time(lambda d=data, f=filename: parse_document(d, filename=f))
        rows.append((label, len(data), len(result.fiches), seconds))
    corpus_rows = rows[2:]
    rows.append(
        (
            f"corpus entier ({len(corpus_rows)} fichiers)",
            sum(r[1] for r in corpus_rows),
            sum(r[2] for r in corpus_rows),
            sum(r[3] for r in corpus_rows),
        )
    )
    floor = rows[0][3]
    print(f"| fichier | taille (Ko) | fiches | secondes (médiane de {RUNS}) | rapport au Word |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, size, fiches, seconds in rows:
        print(f"| {label} | {size / 1024:.0f} | {fiches} | {seconds:.3f} | {seconds / floor:.1f} |")
    held = "oui" if floor < TARGET_DOCX_SECONDS else "NON"
    print(
        f"\nCible : Word de {FICHES} fiches < {TARGET_DOCX_SECONDS:g} s : {held} ({floor:.3f} s)."
    )


if __name__ == "__main__":
    main()

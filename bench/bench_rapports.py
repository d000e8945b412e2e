"""Mesure la production complète du rapport d'exécution (contenu calculé puis fichier) en
JSON, Word et PDF, sur la démonstration (rapport 2024 de la Creuse, 19 fiches) et sur un
contrat de 40 fiches fabriqué comme dans les tests (`tests/factories.make_fiche`).

    .venv/bin/python bench/bench_rapports.py      (ou : make bench)

Base SQLite temporaire ; médiane de 3 essais par opération, et rapport au plancher
(une page légère rendue par Django dans le même passage) pour comparer d'une machine à
l'autre. Cibles (issue 13) : Word < 2 s, PDF < 10 s.
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

RUNS = 3
TARGETS = {"json": None, "docx": 2.0, "pdf": 10.0}
NB_FICHES = 40


def median_time(function) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def _contrat_40_fiches():
    """Un contrat 2025-2027 de 40 fiches complètes (Haute-Vienne), par les services."""
    from pilotage.territoires.models import Departement
    from tests.factories import ContratFactory, make_fiche

    contrat = ContratFactory(departement=Departement.objects.get(code="87"))
    for numero in range(1, NB_FICHES + 1):
        make_fiche(contrat, numero, objectifs=(1 + numero % 5,))
    return contrat


def _floor() -> float:
    from django.test import Client, override_settings
    from django.urls import reverse

    client, url = Client(), reverse("comptes:login")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert client.get(url).status_code == 200
        return median_time(lambda: client.get(url))


def main() -> None:
    call_command("migrate", verbosity=0)
    from pilotage.contrats.models import Contrat
    from pilotage.demo.services import demo_load
    from pilotage.demo.services.precedent import demo_precedent_load
    from pilotage.rapports.content import rapport_content
    from pilotage.rapports.formats import EXPORTERS

    floor = _floor()
    demo_load()
    demo_precedent_load()
    creuse = Contrat.objects.get(departement__code="23", generation__code="2020-2024")
    cases = [
        (f"démonstration, Creuse 2024 ({creuse.fiches.count()} fiches)", creuse, 2024),
        (f"contrat de {NB_FICHES} fiches, 2025", _contrat_40_fiches(), 2025),
    ]
    print(f"| rapport | format | médiane sur {RUNS} essais (s) | × plancher | cible (s) | tenue |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, contrat, annee in cases:
        for fmt, target in TARGETS.items():
            value = median_time(
                lambda c=contrat, a=annee, f=fmt: EXPORTERS[f](rapport_content(c, a))
            )
            cible = f"< {target:g}" if target else "—"
            tenue = ("oui" if value < target else "NON") if target else "—"
            print(f"| {label} | {fmt} | {value:.3f} | {value / floor:.0f} | {cible} | {tenue} |")
    print(f"\nPlancher : page de connexion rendue en {floor * 1000:.1f} ms (médiane).")


if __name__ == "__main__":
    main()

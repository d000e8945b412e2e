"""Mesure la recherche plein texte sur 50 000 éléments indexés (issue 16 : < 100 ms).

    .venv/bin/python bench/bench_recherche.py [nombre]

Base SQLite temporaire (ou DATABASE_URL déjà fixée : BENCH_DATABASE_URL), démonstration
chargée puis lignes d'index inventées réparties sur les contrats ; médiane de 5 essais,
en millisecondes et en rapport à une lecture d'une ligne par sa clé (plancher).
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="pilotage-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = 5
MOTS = [
    "évaluation",
    "parentalité",
    "protection",
    "enfance",
    "accueil",
    "familles",
    "maraudes",
    "permanences",
    "prévention",
    "santé",
    "scolarité",
    "visites",
    "domicile",
    "indicateurs",
    "collecte",
    "relevés",
    "comité",
    "pilotage",
    "financement",
    "crèche",
    "accompagnement",
    "jeunes",
    "majeurs",
    "placement",
    "éducatif",
]


def median_ms(function) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations) * 1000


def remplir(nombre: int) -> None:
    from pilotage.contrats.models import Contrat
    from pilotage.core.models import EntreeRecherche
    from pilotage.core.recherche.index import _valeurs
    from pilotage.core.recherche.registre import Document

    hasard = random.Random(2026)
    contrats = list(Contrat.objects.select_related("departement"))
    lignes = []
    for i in range(nombre):
        contrat = contrats[i % len(contrats)]
        texte = " ".join(hasard.choices(MOTS, k=80))
        doc = Document(
            titre=f"Élément inventé n°{i}",
            texte=texte,
            url="/",
            contrat_id=contrat.pk,
            departement_id=contrat.departement_id,
            region_id=contrat.departement.region_id,
        )
        lignes.append(EntreeRecherche(modele="bench.Faux", objet_id=i, **_valeurs("fiche", doc)))
    EntreeRecherche.objects.bulk_create(lignes, batch_size=1000)


def main() -> None:
    nombre = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from pilotage.core.models import EntreeRecherche
    from pilotage.core.recherche import Filtres, search
    from pilotage.demo.services import demo_load

    demo_load()
    remplir(nombre)
    users = get_user_model().objects
    national = users.get(email="national@demo.pilotage.test")
    pilote = users.get(email="pilote.cd@demo.pilotage.test")
    premier = EntreeRecherche.objects.order_by("pk").values_list("pk", flat=True).first()
    plancher = median_ms(lambda: EntreeRecherche.objects.get(pk=premier))
    rows = [
        ("plancher : une ligne par sa clé", plancher),
        (
            "national, mot fréquent (« évaluations »)",
            median_ms(lambda: search(national, "évaluations")),
        ),
        ("pilote, mot fréquent", median_ms(lambda: search(pilote, "évaluations"))),
        ("pilote, deux mots", median_ms(lambda: search(pilote, "visite domicile"))),
        ("pilote, mot absent", median_ms(lambda: search(pilote, "zeppelin"))),
        (
            "national, une sorte, page 10",
            median_ms(lambda: search(national, "familles", Filtres(sorte="fiche"), page=10)),
        ),
    ]
    total = EntreeRecherche.objects.count()
    print(f"Recherche sur {total} éléments indexés ({os.environ['DATABASE_URL'].split(':')[0]})")
    print(f"{'opération':<46} {'ms':>8} {'× plancher':>11}")
    for label, ms in rows:
        print(f"{label:<46} {ms:>8.1f} {ms / plancher:>11.0f}")


if __name__ == "__main__":
    main()

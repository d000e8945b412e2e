"""Mesure la recherche plein texte sur 50 000 éléments indexés (issue 16 : < 100 ms).

    .venv/bin/python bench/bench_recherche.py [nombre]
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/bench_recherche.py

Base SQLite temporaire (ou BENCH_DATABASE_URL, base vidée de ses tables puis migrée).
Démonstration chargée, un contrat fictif par autre département, puis lignes d'index
inventées écrites en lot, réparties sur tous les contrats et tous les espaces (une sorte
par ligne, dans les proportions d'un service réel) ; vocabulaire à la Zipf (mots
fréquents, mots rares). Médiane de 7 essais, en millisecondes et en rapport à une
lecture d'une ligne par sa clé (plancher).
"""

import datetime
import os
import random
import shutil
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

RUNS = 7
# Mots du domaine, du plus fréquent au moins fréquent (loi de Zipf sur leur rang).
MOTS = [
    "enfance",
    "protection",
    "familles",
    "accompagnement",
    "prévention",
    "parentalité",
    "santé",
    "accueil",
    "évaluation",
    "jeunes",
    "éducatif",
    "domicile",
    "visites",
    "placement",
    "scolarité",
    "maraudes",
    "permanences",
    "indicateurs",
    "collecte",
    "relevés",
    "comité",
    "pilotage",
    "financement",
    "crèche",
    "majeurs",
    "partenaires",
    "professionnels",
    "repérage",
    "vulnérabilité",
    "périnatalité",
    "médiation",
    "handicap",
    "logement",
    "insertion",
    "formation",
]
RARE = "zeppelin"  # un élément sur mille
# Part de chaque sorte dans l'index ; portée d'un contrat ou d'un espace.
SORTES = (
    ("fiche", 0.25, "contrat"),
    ("indicateur", 0.25, "contrat"),
    ("releve", 0.15, "contrat"),
    ("reunion", 0.15, "contrat"),
    ("rapport", 0.02, "contrat"),
    ("ressource", 0.08, "espace"),
    ("actualite", 0.05, "espace"),
    ("proposition", 0.05, "espace"),
)


def median_ms(function) -> float:
    function()  # échauffement (caches)
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations) * 1000


def vider_base() -> None:
    """Base PostgreSQL donnée : repartir d'un schéma vide (jamais une base de production :
    BENCH_DATABASE_URL est explicite)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def contrats_fictifs() -> None:
    """Un contrat (brouillon, fictif) pour chaque département qui n'en a pas."""
    from pilotage.contrats.models import Contrat
    from pilotage.referentiel.models import Generation
    from pilotage.territoires.models import Departement

    generation = Generation.objects.get(code="2025-2027")
    pris = set(
        Contrat.objects.filter(generation=generation).values_list("departement_id", flat=True)
    )
    Contrat.objects.bulk_create(
        Contrat(departement=d, generation=generation, donnees_fictives=True)
        for d in Departement.objects.exclude(pk__in=pris)
    )


def remplir(nombre: int) -> None:
    """Lignes d'index écrites en lot ; racines calculées une fois par mot du vocabulaire."""
    from pilotage.contrats.models import Contrat
    from pilotage.core.models import EntreeRecherche
    from pilotage.core.recherche.racines import racine, racines
    from pilotage.espace.models import Espace, Rubrique

    hasard = random.Random(2026)
    contrats = list(Contrat.objects.select_related("departement").order_by("pk"))
    espaces = list(Espace.objects.order_by("pk"))
    rubriques = list(Rubrique.objects.values_list("pk", flat=True))
    poids = [1 / rang for rang in range(1, len(MOTS) + 1)]
    sqlite = connection.vendor == "sqlite"
    cache = {m: racine(m) for m in (*MOTS, RARE)}
    noms, parts = [s[0] for s in SORTES], [s[1] for s in SORTES]
    portees = {s[0]: s[2] for s in SORTES}
    lignes = []
    for i in range(nombre):
        sorte = hasard.choices(noms, parts)[0]
        choisis = hasard.choices(MOTS, poids, k=hasard.randint(20, 200))
        if i % 1000 == 0:
            choisis.append(RARE)
        texte = " ".join(choisis)
        titre = f"Élément inventé n°{i} {hasard.choice(MOTS)}"
        valeurs = {"contrat_id": None, "espace_id": None, "rubrique_id": None}
        if portees[sorte] == "contrat":
            contrat = contrats[i % len(contrats)]
            valeurs.update(
                contrat_id=contrat.pk,
                departement_id=contrat.departement_id,
                region_id=contrat.departement.region_id,
            )
        else:
            espace = espaces[i % len(espaces)]
            valeurs.update(
                espace_id=espace.pk,
                departement_id=espace.departement_id,
                region_id=espace.region_id,
            )
            if sorte == "ressource":
                valeurs["rubrique_id"] = rubriques[i % len(rubriques)]
        lignes.append(
            EntreeRecherche(
                sorte=sorte,
                modele="bench.Faux",
                objet_id=i,
                titre=titre,
                texte=texte,
                racines=(
                    f"{racines(titre)} {' '.join(cache[m] for m in choisis)}" if sqlite else ""
                ),
                url="/",
                objectifs=f"|{1 + i % 12}|",
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 700),
                **valeurs,
            )
        )
    EntreeRecherche.objects.bulk_create(lignes, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    nombre = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    depart = time.perf_counter()
    vider_base()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from pilotage.core.models import EntreeRecherche
    from pilotage.core.recherche import Filtres, search
    from pilotage.demo.services import demo_load
    from pilotage.espace.models import Rubrique
    from pilotage.espace.services import espaces_assurer

    demo_load()
    espaces_assurer()
    contrats_fictifs()
    remplir(nombre)
    construction = time.perf_counter() - depart
    users = get_user_model().objects
    national = users.get(email="national@demo.pilotage.test")
    pilote = users.get(email="pilote.cd@demo.pilotage.test")
    methodes = Rubrique.objects.get(nom="Méthodes").pk
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(national)
    premier = EntreeRecherche.objects.order_by("pk").values_list("pk", flat=True).first()
    plancher = median_ms(lambda: EntreeRecherche.objects.get(pk=premier))
    cas = [
        ("national, mot fréquent (« familles »)", national, "familles", Filtres()),
        ("département, mot fréquent", pilote, "familles", Filtres()),
        ("national, mot moyen (« formation »)", national, "formation", Filtres()),
        ("national, mot rare (« zeppelin »)", national, RARE, Filtres()),
        ("département, mot rare", pilote, RARE, Filtres()),
        ("national, deux mots", national, "visite domicile", Filtres()),
        ("département, deux mots", pilote, "visite domicile", Filtres()),
        ("national, accents et pluriel (« évaluations »)", national, "évaluations", Filtres()),
        ("national, sans accent (« EVALUER »)", national, "EVALUER", Filtres()),
        ("national, mot absent", national, "aérostat", Filtres()),
        ("national, une sorte, page 10", national, "familles", Filtres(sorte="fiche")),
        ("national, rubrique Méthodes", national, "familles", Filtres(rubrique=methodes)),
    ]
    rows = [("plancher : une ligne par sa clé", plancher)]
    for label, user, q, filtres in cas:
        page = 10 if filtres.sorte else 1
        rows.append((label, median_ms(lambda u=user, q=q, f=filtres, p=page: search(u, q, f, p))))
    rows.append(
        (
            "page /recherche/ entière (national)",
            median_ms(lambda: client.get("/recherche/", {"q": "familles"})),
        )
    )
    total = EntreeRecherche.objects.count()
    print(
        f"Recherche sur {total} éléments indexés ({connection.vendor}, "
        f"jeu construit en {construction:.0f} s)"
    )
    print(f"{'opération':<48} {'ms':>8} {'× plancher':>11}")
    for label, ms in rows:
        print(f"{label:<48} {ms:>8.1f} {ms / plancher:>11.0f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)

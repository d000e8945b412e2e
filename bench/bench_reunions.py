"""Mesure le dossier de préparation et le compte rendu d'une réunion des 17 fiches de la Creuse.

    .venv/bin/python bench/bench_reunions.py

Base SQLite temporaire, données de démonstration, plus une réunion passée (notes et
décisions sur chaque fiche) et une réunion à venir, les 17 fiches à l'ordre du jour ;
médiane de 5 essais par opération. Cibles : contenu < 0,5 s, Word < 1 s, PDF < 5 s.
"""

import datetime
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


def _reunions(contrat, pilote):
    from django.utils import timezone

    from pilotage.reunions import services

    def create(days):
        return services.reunion_create(
            contrat=contrat,
            user=pilote,
            fields={
                "date": timezone.now() + datetime.timedelta(days=days),
                "type": "comite_suivi",
                "ordre_du_jour": "toutes",
            },
        )

    passee = create(-90)
    for point in passee.points.select_related("reunion", "fiche"):
        services.note_save(
            point=point, encart="positifs", auteur=pilote, texte="Les actions avancent."
        )
        services.note_save(
            point=point, encart="ameliorations", auteur=pilote, texte="Délais à réduire."
        )
        services.decision_create(
            point=point,
            auteur=pilote,
            fields={"categorie": "autre", "texte": "Faire un point d'étape", "porteur": "CD"},
        )
    return passee, create(30)


def main() -> None:
    call_command("migrate", verbosity=0)
    from pilotage.comptes.models import User
    from pilotage.contrats.models import Contrat
    from pilotage.demo.services import demo_load
    from pilotage.reunions.documents import (
        compte_rendu_content,
        compte_rendu_docx,
        compte_rendu_pdf,
        dossier_content,
        dossier_docx,
        dossier_pdf,
    )

    demo_load()
    contrat = Contrat.objects.get(departement__code="23")
    pilote = User.objects.get(email="pilote.cd@demo.pilotage.test")
    passee, prochaine = _reunions(contrat, pilote)
    nb = prochaine.points.count()

    def dossier():
        return dossier_content(prochaine, viewer=pilote)

    def compte_rendu():
        return compte_rendu_content(passee, viewer=pilote)

    rows = [
        (f"contenu du dossier ({nb} fiches)", dossier, 0.5),
        ("dossier en Word", lambda: dossier_docx(dossier()), 1.0),
        ("dossier en PDF", lambda: dossier_pdf(dossier()), 5.0),
        ("contenu du compte rendu", compte_rendu, 0.5),
        ("compte rendu en Word", lambda: compte_rendu_docx(compte_rendu()), 1.0),
        ("compte rendu en PDF", lambda: compte_rendu_pdf(compte_rendu()), 5.0),
    ]
    print(f"| opération | médiane sur {RUNS} essais (s) | cible (s) | tenue |")
    print("| --- | --- | --- | --- |")
    for label, function, target in rows:
        value = median_time(function)
        print(f"| {label} | {value:.3f} | < {target:g} | {'oui' if value < target else 'NON'} |")


if __name__ == "__main__":
    main()

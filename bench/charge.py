"""Tenue de charge (issue 15, point 5) : 50 utilisateurs simultanés sur les pages clés,
servies par gunicorn, sur le jeu de données national.

    .venv/bin/python bench/charge.py [--departements N] [--utilisateurs 50] [--tours 3]
        [--duree 6] [--duree-plancher 4] [--pages "vue nationale"]

Base : celle de DATABASE_URL si elle est réglée (PostgreSQL : une base jetable, la
démonstration et le jeu national fictif y sont chargés), sinon une base SQLite temporaire.
Étapes : démonstration (Creuse), nombre de requêtes de chaque page ; jeu national
(`generer_donnees_nationales`), mêmes pages recomptées ; gunicorn sur 127.0.0.1 ; des
charges locust sans interface (`--headless`) de N utilisateurs connectés (pilotes générés,
compte national ou régional) qui enchaînent les requêtes d'une page sans pause.

Le plancher est une page légère qui rend le gabarit de base pour une personne connectée
(les mentions légales : en-tête, menu, compteur « Mes tâches ») ; rapport d'une page =
débit du plancher ÷ débit de la page (ce que coûte la page en temps serveur, en multiples
du plancher). La machine dérive pendant le banc : plusieurs tours courts, chacun mesurant
le plancher avant et après chaque groupe de deux pages ; chaque page est rapportée aux
planchers qui l'encadrent dans son tour, et le tableau donne la médiane des tours et leur
écart (charge_lib/tours.py). Cibles de l'issue : pages interactives ≤ 3×, vues régionale,
nationale et « Mes tâches » ≤ 5×, exports ≤ 10×, aucune erreur, et le même nombre de
requêtes sur la petite base et sur la base nationale.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from charge_lib import tours

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: Variable posée pour locust, qui relit ce fichier pour y trouver ses utilisateurs.
LOCUST_ENV = "PILOTAGE_CHARGE_PAGE"

# --- Côté locust : un utilisateur qui demande sans pause la page mesurée --------------

if os.environ.get(LOCUST_ENV):
    from locust import HttpUser, constant, task

    _PROFILS = json.loads(Path(os.environ["PILOTAGE_CHARGE_PROFILS"]).read_text())
    _PAGE = os.environ[LOCUST_ENV]
    _COOKIE = _PROFILS["cookie"]
    _RANG = iter(range(10**6))

    class Visiteur(HttpUser):
        wait_time = constant(0)

        def on_start(self):
            rows = _PROFILS["pages"][_PAGE]
            self.session, self.url = rows[next(_RANG) % len(rows)]
            self.client.cookies.set(_COOKIE, self.session)

        @task
        def page(self):
            with self.client.get(
                self.url, name=_PAGE, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")


# --- Côté banc : données, comptes de requêtes, serveur, charges successives -----------

#: (page, catégorie de cible, qui la demande, adresse) ; {c} contrat, {r} réunion,
#: {region} région du compte régional, {i} un indicateur national.
PAGES = [
    ("Plancher (mentions légales)", "plancher", "pilote", "/mentions-legales/"),
    ("Accueil (pilote)", "interactive", "pilote", "/"),
    ("Contrat", "interactive", "pilote", "/contrats/{c}/"),
    ("Fiche", "interactive", "pilote", "/contrats/{c}/fiches/1/"),
    ("Historique de la fiche", "interactive", "pilote", "/contrats/{c}/fiches/1/historique/"),
    ("Calendrier de la fiche", "interactive", "pilote", "/contrats/{c}/fiches/1/calendrier/"),
    ("Réunions", "interactive", "pilote", "/contrats/{c}/reunions/"),
    ("Réunion", "interactive", "pilote", "/contrats/{c}/reunions/{r}/"),
    ("Dossier de réunion", "interactive", "pilote", "/contrats/{c}/reunions/{r}/dossier/"),
    ("Séance", "interactive", "pilote", "/contrats/{c}/reunions/{r}/seance/"),
    ("Mes tâches", "vue", "pilote", "/taches/"),
    ("Accueil (national)", "vue", "national", "/"),
    ("Vue régionale", "vue", "regional", "consolidation:region {region}"),
    ("Vue nationale", "vue", "national", "consolidation:national"),
    ("Indicateurs comparés", "vue", "national", "consolidation:indicateurs"),
    ("Indicateur comparé", "vue", "national", "consolidation:indicateur {i}"),
    ("Export JSON du contrat", "export", "pilote", "/contrats/{c}/export.json"),
]
CIBLES = {"plancher": 1, "interactive": 3, "vue": 5, "export": 10}


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departements", type=int, default=None, help="101 par défaut")
    parser.add_argument("--fiches", type=int, default=20)
    parser.add_argument("--utilisateurs", type=int, default=50)
    parser.add_argument("--tours", type=int, default=3, help="tours de mesure (médiane)")
    parser.add_argument("--duree", type=int, default=6, help="secondes par page et par tour")
    parser.add_argument(
        "--duree-plancher", type=int, default=4, help="secondes par mesure du plancher"
    )
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
    parser.add_argument("--pages", default="", help="seulement les pages dont le nom contient")
    return parser.parse_args()


def _setup_django(tmp: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/charge.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "0"  # comme en service : pas de page technique, gabarits en cache
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _url(spec: str, values: dict) -> str | None:
    """L'adresse d'une page (chemin, ou nom d'URL et argument) ; None si la page n'existe
    pas encore dans cette version de l'application."""
    from django.urls import NoReverseMatch, reverse

    if spec.startswith("/"):
        return spec.format(**values)
    name, *args = spec.split()
    try:
        return reverse(name, args=[a.format(**values) for a in args])
    except (NoReverseMatch, KeyError):
        return None


def _comptes(contrat_demo=None):
    """Les personnes qui demandent les pages : (pilote, contrat, réunion) du contrat mesuré,
    le compte national et le compte régional de la démonstration."""
    from django.contrib.auth import get_user_model

    from pilotage.referentiel.models import IndicateurNational
    from pilotage.reunions.models import Reunion

    User = get_user_model()
    national = User.objects.get(email="national@demo.pilotage.test")
    regional = User.objects.get(email="regional@demo.pilotage.test")
    indicateur = IndicateurNational.objects.order_by("pk").first()
    reunion = (
        Reunion.objects.filter(contrat=contrat_demo).exclude(statut="planifiee").order_by("date")
    ).first()
    return {"national": national, "regional": regional}, {
        "region": regional.region_id,
        "i": indicateur.pk,
        "c": contrat_demo.pk,
        "r": reunion.pk,
    }


def _requetes(pages, user_of, values) -> dict[str, int | str]:
    """Nombre de requêtes SQL de chaque page (deuxième affichage : caches chauds)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients, counts = {}, {}
    for name, _cat, who, spec in pages:
        url = _url(spec, values)
        if url is None:
            continue
        if who not in clients:
            clients[who] = Client(HTTP_HOST="127.0.0.1")
            clients[who].force_login(user_of[who])
        clients[who].get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = clients[who].get(url)
        counts[name] = len(ctx) if response.status_code == 200 else f"HTTP {response.status_code}"
    return counts


def _demo_counts(pages):
    from pilotage.contrats.models import Contrat

    creuse = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    users, values = _comptes(creuse)
    from django.contrib.auth import get_user_model

    users["pilote"] = get_user_model().objects.get(email="pilote.cd@demo.pilotage.test")
    return _requetes(pages, users, values), users, values


def _generes(limit: int = 50):
    """(pilote du Conseil départemental, contrat, réunion tenue) des contrats générés."""
    from django.contrib.auth import get_user_model

    from pilotage.contrats.models import Contrat
    from pilotage.demo.services.national import pilote_email

    User = get_user_model()
    rows = []
    for contrat in (
        Contrat.objects.filter(donnees_fictives=True)
        .select_related("departement")
        .order_by("departement__code")[:limit]
    ):
        reunion = contrat.reunions.exclude(statut="planifiee").order_by("date").first()
        pilote = User.objects.get(email=pilote_email("cd", contrat.departement.code))
        rows.append((pilote, contrat, reunion))
    return rows


def _session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _profils(pages, users, values, generes, path: Path) -> None:
    """Pour chaque page : les (session, adresse) que les utilisateurs locust se partagent —
    un pilote généré par contrat, le compte national ou régional sinon."""
    from django.conf import settings

    sessions = {who: _session(user) for who, user in users.items() if who != "pilote"}
    pilotes = [(_session(p), {**values, "c": c.pk, "r": r.pk}) for p, c, r in generes]
    data = {"cookie": settings.SESSION_COOKIE_NAME, "pages": {}}
    for name, _cat, who, spec in pages:
        if who == "pilote":
            rows = [(s, _url(spec, v)) for s, v in pilotes]
        else:
            rows = [(sessions[who], _url(spec, values))]
        if rows and rows[0][1]:
            data["pages"][name] = rows
    path.write_text(json.dumps(data))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/mentions-legales/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn ne répond pas (journal : {log})")


def _charge(page: str, duree: int, port: int, profils: Path, args, tmp: str) -> dict:
    """Une charge locust de `duree` secondes sur une page ; sa ligne de statistiques."""
    prefix = Path(tempfile.mkdtemp(dir=tmp)) / "locust"
    env = {**os.environ, LOCUST_ENV: page, "PILOTAGE_CHARGE_PROFILS": str(profils)}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            __file__,
            "--headless",
            "-u",
            str(args.utilisateurs),
            "-r",
            str(args.utilisateurs),
            "-t",
            f"{duree}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["Name"] == "Aggregated"]
    return rows[0]


def _mesurer(noms: list[str], port: int, profils: Path, args, tmp: str) -> list:
    """Les tours de mesure : dans chacun, le plancher puis chaque groupe de pages suivi du
    plancher (tours.programme) ; pour chaque tour, les (page, statistiques) dans l'ordre."""
    plancher = noms[0]
    ordre = tours.programme(noms[1:], plancher)
    mesures = []
    for _tour in range(args.tours):
        tour = []
        for nom in ordre:
            duree = args.duree_plancher if nom == plancher else args.duree
            tour.append((nom, _charge(nom, duree, port, profils, args, tmp)))
        mesures.append(tour)
    return mesures


def _ms(valeur: float) -> str:
    return "–" if valeur != valeur else f"{valeur:.0f}"  # NaN : rien de servi


def _table(pages, resume, avant, apres, generes_counts) -> None:
    print(
        "| page | p50 (ms) | p95 (ms) | p99 (ms) | req/s | rapport au plancher (médiane) "
        "| tours (min–max) | cible | erreurs | requêtes SQL démo | requêtes SQL national "
        "| requêtes SQL contrat généré |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, cat, _who, _spec in pages:
        if name not in resume:
            continue
        row = resume[name]
        cible = CIBLES[cat]
        verdict = "" if cat == "plancher" or row.rapport <= cible else " ✗"
        ecart = "–" if cat == "plancher" else f"×{row.rapport_min:.1f}–{row.rapport_max:.1f}"
        print(
            f"| {name} | {_ms(row.p50)} | {_ms(row.p95)} | {_ms(row.p99)} | {row.debit:.1f} "
            f"| ×{row.rapport:.1f}{verdict} | {ecart} | ≤ ×{cible} | {row.erreurs} "
            f"| {avant.get(name, '–')} | {apres.get(name, '–')} | {generes_counts.get(name, '–')} |"
        )


def _donnees(args, pages, tmp: str):
    """Démonstration et jeu national chargés, requêtes comptées, profils locust écrits."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("charger_demo", "--silencieux")
    avant, users, values = _demo_counts(pages)
    options = ["--fiches", str(args.fiches)]
    if args.departements:
        options += ["--departements", str(args.departements)]
    call_command("generer_donnees_nationales", *options)
    apres, _u, _v = _demo_counts(pages)
    generes = _generes()
    premier = generes[0]
    generes_counts = _requetes(
        pages, {**users, "pilote": premier[0]}, {**values, "c": premier[1].pk, "r": premier[2].pk}
    )
    profils = Path(tmp) / "profils.json"
    _profils(pages, users, values, generes, profils)
    from django.db import connection

    connection.close()  # gunicorn a ses propres connexions ; SQLite n'attend pas le banc
    return (avant, apres, generes_counts), profils


def main() -> None:
    args = _arguments()
    tmp = tempfile.mkdtemp(prefix="pilotage-charge-")
    _setup_django(tmp)
    pages = [p for p in PAGES if p[1] == "plancher" or args.pages.lower() in p[0].lower()]
    started = time.perf_counter()
    counts, profils = _donnees(args, pages, tmp)
    print(
        f"Données prêtes en {time.perf_counter() - started:.0f} s ({os.environ['DATABASE_URL'].split(':')[0]})."
    )
    mesurables = json.loads(profils.read_text())["pages"]
    noms = [name for name, *_rest in pages if name in mesurables]
    port = _port()
    server = _gunicorn(port, args.workers, Path(tmp) / "gunicorn.log")
    started = time.perf_counter()
    try:
        # Échauffement, non compté : les processus de gunicorn viennent de démarrer.
        _charge(noms[0], args.duree_plancher, port, profils, args, tmp)
        mesures = _mesurer(noms, port, profils, args, tmp)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.utilisateurs} utilisateurs simultanés, gunicorn {args.workers} processus × 4 "
        f"fils, {os.cpu_count()} cœurs ; {args.tours} tours de {args.duree} s par page, "
        f"plancher ({args.duree_plancher} s) mesuré avant et après chaque groupe de "
        f"{tours.PAGES_PAR_PLANCHER} pages, chaque page rapportée aux planchers qui "
        f"l'encadrent dans son tour ; charges en {time.perf_counter() - started:.0f} s."
    )
    _table(pages, tours.synthese(mesures, noms[0]), *counts)


if __name__ == "__main__":
    main()

"""Fixtures communes. Le référentiel 2025-2027 et les départements sont chargés par
les migrations de données : ils existent dans toute base de test."""

import shutil
import time

import pytest
from django.db import transaction
from django.test.utils import override_settings

from pilotage.referentiel.models import Generation
from pilotage.territoires.models import Departement
from tests.demo_snapshot import DemoSnapshot

#: Le hachage des mots de passe de production est volontairement lent : inutile en test.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def generation(db):
    return Generation.objects.get(code="2025-2027")


@pytest.fixture
def creuse(db):
    return Departement.objects.get(code="23")


@pytest.fixture
def correze(db):
    return Departement.objects.get(code="19")


@pytest.fixture
def loir_et_cher(db):
    return Departement.objects.get(code="41")


def _load_migrations_data() -> None:
    """Rejoue les migrations de données (territoires, puis référentiel) sur une base vide."""
    import importlib

    from django.apps import apps

    for module in (
        "pilotage.territoires.migrations.0002_charger_territoires",
        "pilotage.referentiel.migrations.0002_charger_referentiel",
    ):
        importlib.import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def migrations_data_restored(request, django_db_blocker):
    """Un test « transactionnel » (`transactional_db`, `live_server`) vide la base à la fin ;
    Django ne remet les données des migrations (référentiel, départements) qu'au début d'un
    test `serialized_rollback`, et seulement si pytest-django a sérialisé la base. Avant un
    test qui utilise la base, si elles ont disparu, on rejoue les migrations de données :
    sans cela, il ne trouverait plus la Creuse (échec selon l'ordre des tests)."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    # Un test `serialized_rollback` reçoit ces données de Django lui-même.
    restored_by_django = "django_db_serialized_rollback" in request.fixturenames
    if (uses_db or request.node.get_closest_marker("django_db")) and not restored_by_django:
        from pilotage.territoires.models import Departement

        with django_db_blocker.unblock():
            if not Departement.objects.exists():
                _load_migrations_data()
    yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(scope="session", autouse=True)
def connections_kept_inside_transactions():
    """Une connexion ouverte dans une transaction (celle du module de la démonstration,
    celle de chaque test) n'est jamais fermée par `close_old_connections`.

    Le client de test coupe ce récepteur pendant chaque requête, mais le rebranche après
    avoir fermé une réponse en flux (FileResponse) : la fin de requête suivante fermait
    alors la connexion au milieu de la transaction du module (« the connection is
    closed » sur PostgreSQL seulement, où CONN_MAX_AGE vaut 0 en test)."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper.close_if_unusable_or_obsolete

    def close_unless_in_transaction(self):
        if not self.in_atomic_block:
            original(self)

    BaseDatabaseWrapper.close_if_unusable_or_obsolete = close_unless_in_transaction
    yield
    BaseDatabaseWrapper.close_if_unusable_or_obsolete = original


@pytest.fixture(scope="session", autouse=True)
def pdf_rendus_memorises():
    """WeasyPrint rend le même PDF pour le même HTML : chaque HTML n'est rendu qu'une fois
    par processus de test (la démonstration, rechargée par module, archive ses comptes
    rendus ; les exports reviennent d'un test à l'autre). Un HTML nouveau est toujours
    rendu pour de vrai, et une erreur de rendu n'est pas mémorisée."""
    from pilotage.core import pdf

    original, rendus = pdf._write_pdf, {}

    def write_pdf(html: str) -> bytes:
        if html not in rendus:
            rendus[html] = original(html)
        return rendus[html]

    pdf._write_pdf = write_pdf
    yield
    pdf._write_pdf = original


@pytest.fixture(autouse=True)
def content_types_fresh():
    """Le cache des types de contenu survit d'un test à l'autre : après un test
    « transactionnel » (base vidée), un type créé pendant ce test n'existe plus mais son
    identifiant resterait en cache (clé étrangère invalide dans l'historique)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def axes_disabled(request, settings):
    """Le blocage des connexions (django-axes) exige une requête à chaque authentification,
    ce que `client.login` ne donne pas : il est coupé, sauf pour les tests qui le
    demandent (`@pytest.mark.axes`)."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
        settings.SILENCED_SYSTEM_CHECKS = [*settings.SILENCED_SYSTEM_CHECKS, "axes.W003"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Fichiers enregistrés (pièces, comptes rendus validés) hors du dépôt, dans un dossier
    temporaire propre à chaque test."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# --- démonstration chargée une fois par module --------------------------------------

#: Modules dont la transaction tient la démonstration en ce moment.
_DEMO_MODULES: set[str] = set()
#: Lignes de la première charge du processus, recopiées par les modules suivants.
_DEMO_SNAPSHOT = DemoSnapshot()


@pytest.fixture(scope="module")
def _demo_module(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """La démonstration chargée une seule fois pour le module (recopiée de la première
    charge du processus, `tests/demo_snapshot.py`), dans une transaction
    ouverte ici et annulée à la fin du module (le `setUpTestData` de Django) : la
    transaction de chaque test s'y emboîte comme un point de sauvegarde, annulé après le
    test, si bien que chaque test retrouve la démonstration intacte. Renvoie le dossier
    des fichiers qu'elle a enregistrés (comptes rendus archivés)."""
    from pilotage.demo.services import demo_load

    module = request.module.__name__
    media = tmp_path_factory.mktemp("demo-media")
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                media = _DEMO_SNAPSHOT.load(demo_load, media)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    _DEMO_MODULES.add(module)
    yield media
    _DEMO_MODULES.discard(module)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def demo_data(request, _demo_module, db, media_root, settings):
    """La démonstration de la Creuse (et du second département), chargée une fois par
    module ; les fichiers qu'elle a enregistrés sont recopiés dans le dossier du test.

    Seulement pour les tests dans la transaction de `db` : un test `transactional_db` ou
    `live_server` viderait les tables sous la transaction du module. Un module qui
    l'utilise place ses tests sans démonstration avant le premier qui la demande (ils
    verraient sinon ses données)."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("demo_data ne se combine pas avec transactional_db ni live_server.")
    shutil.copytree(_demo_module, settings.MEDIA_ROOT, dirs_exist_ok=True)


@pytest.fixture(autouse=True)
def _no_demo_leak(request):
    """Un test qui utilise la base sans demander `demo_data`, placé après un test qui l'a
    demandée dans le même module, verrait la démonstration : on le signale plutôt que de
    le laisser échouer (ou réussir) pour une mauvaise raison."""
    if request.module.__name__ not in _DEMO_MODULES or "demo_data" in request.fixturenames:
        return
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames) or (
        request.node.get_closest_marker("django_db")
    ):
        pytest.fail(
            "Ce test utilise la base après un test du module qui a chargé la démonstration "
            "(demo_data) : placez-le avant, ou demandez demo_data."
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cache vidé avant chaque test : les compteurs de la limite de débit des exports
    (core.ratelimit) ne passent pas d'un test à l'autre."""
    from django.core.cache import cache

    cache.clear()


class _StoppedClock:
    """Horloge de la limite de débit : `now` ne bouge que si le test l'avance."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def rate_limit_clock(monkeypatch):
    """Horloge de core.ratelimit arrêtée au milieu d'une minute : un test qui enchaîne
    onze téléchargements ne change pas de fenêtre en chemin (le compteur repartait de
    zéro et le onzième passait quand la boucle franchissait la minute : échec de la CI
    du 4 décembre 2026). Un test avance l'horloge par `rate_limit_clock.now += 60`."""
    from pilotage.core import ratelimit

    clock = _StoppedClock(
        (time.time() // ratelimit.WINDOW_SECONDS + 0.5) * ratelimit.WINDOW_SECONDS
    )
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


@pytest.fixture(autouse=True)
def tasks_immediate(settings):
    """Tâches de fond exécutées sur-le-champ, sans travailleur : les courriels sont dans
    `mail.outbox` dès le retour du service (core.courriels). Un test qui veut la file en
    base la redemande (`settings.TASKS`, tests/core/test_courriels.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tasks_worker(settings):
    """La file des tâches en base, comme en production (TASKS_BACKEND=database) : une tâche
    confiée à la file attend le travailleur, que le test lance par `tasks_worker()`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run() -> None:
        """Le travailleur exécute les tâches en attente puis s'arrête ; ses gestionnaires
        de signaux (Ctrl+C…) sont ensuite rendus à pytest."""
        import signal

        from django.core.management import call_command

        signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
        handlers = {sig: signal.getsignal(sig) for sig in signals}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run

"""La démonstration recopiée d'un module à l'autre (tests/demo_snapshot.py) donne la même
base, ligne pour ligne, que la charge réelle."""

import pytest
from django.db import transaction

from pilotage.demo.services import demo_load
from tests.demo_snapshot import DemoSnapshot, _state

pytestmark = pytest.mark.django_db


def _sous_point_de_sauvegarde(action):
    point = transaction.savepoint()
    try:
        action()
        return _state()
    finally:
        transaction.savepoint_rollback(point)


def test_the_recopied_demo_is_row_for_row_the_real_load_unless_the_start_differs(
    tmp_path, settings, creuse
):
    settings.MEDIA_ROOT = str(tmp_path)
    snapshot = DemoSnapshot()
    reelle = _sous_point_de_sauvegarde(lambda: snapshot.load(demo_load, tmp_path))

    def interdit():
        raise AssertionError("la seconde charge devait être recopiée")

    recopiee = _sous_point_de_sauvegarde(lambda: snapshot.load(interdit, tmp_path))
    assert recopiee == reelle
    assert snapshot.changed  # la démonstration a bien écrit des lignes

    # Une base de départ différente (ici un département renommé) : charge réelle.
    creuse.nom = "Creuse (modifiée par un test)"
    creuse.save()
    appels = []
    _sous_point_de_sauvegarde(lambda: snapshot.load(lambda: appels.append(1), tmp_path))
    assert appels == [1]

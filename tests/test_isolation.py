"""Isolation des tests : un test « transactionnel » (base vidée à la fin) ne laisse pas
les tests suivants du même processus sans référentiel ni départements.

pytest-django place les tests transactionnels après ceux qui utilisent `db` et avant
ceux qui n'utilisent pas la base : le second test ci-dessous passe donc après le premier,
et relit la base comme le ferait un test suivant."""

import pytest

from pilotage.territoires.models import Departement


@pytest.mark.usefixtures("migrations_data_restored", "django_db_serialized_rollback")
def test_a_transactional_test_leaves_the_migrations_data_behind(transactional_db):
    assert Departement.objects.filter(code="23").exists()


def test_the_next_test_still_finds_the_departements(django_db_blocker):
    with django_db_blocker.unblock():
        assert Departement.objects.filter(code="23").exists()

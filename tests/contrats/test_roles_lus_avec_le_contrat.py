"""Les rôles de la personne lus avec le contrat ou la fiche (`permissions.get_contrat_for`,
`get_fiche_for`) : une seule requête, puis `roles_on` n'en fait plus ; les mêmes rôles
que ceux qu'il lirait lui-même."""

import pytest

from pilotage.contrats import permissions
from pilotage.contrats.models import Habilitation
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

R = Habilitation.Role


@pytest.fixture
def contrat(db):
    contrat = ContratFactory()
    make_fiche(contrat, numero=1)
    return contrat


@pytest.mark.parametrize("roles", [[R.PILOTE], [R.REFERENT, R.CONTRIBUTEUR], [R.LECTEUR]])
def test_the_fiche_its_contrat_and_the_users_roles_are_read_in_one_query(
    contrat, roles, django_assert_num_queries
):
    user = UserFactory()
    for role in roles:
        grant(user, contrat, role)
    with django_assert_num_queries(1):
        fiche = permissions.get_fiche_for(user, contrat.pk, 1)
        assert fiche.contrat.departement.code == contrat.departement.code
        assert permissions.roles_on(user, fiche.contrat) == set(roles)
    with django_assert_num_queries(1):
        lu = permissions.get_contrat_for(user, contrat.pk)
        assert permissions.roles_on(user, lu) == set(roles)


def test_a_user_who_sees_the_contrat_without_a_role_has_no_role_on_it(
    contrat, django_assert_num_queries
):
    regional = UserFactory(perimetre="regional", region=contrat.departement.region)
    with django_assert_num_queries(1):
        fiche = permissions.get_fiche_for(regional, contrat.pk, 1)
        assert permissions.roles_on(regional, fiche.contrat) == set()
    assert permissions.roles_on(regional, contrat) == set()  # même réponse lue à part


def test_roles_of_another_user_are_still_read_on_demand(contrat):
    pilote, lecteur = UserFactory(), UserFactory()
    grant(pilote, contrat, R.PILOTE)
    grant(lecteur, contrat, R.LECTEUR)
    fiche = permissions.get_fiche_for(pilote, contrat.pk, 1)
    assert permissions.roles_on(lecteur, fiche.contrat) == {R.LECTEUR}

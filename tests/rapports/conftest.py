"""Fixtures des tests des rapports d'exécution : un contrat de la Creuse (2025-2027),
trois fiches, un pilote de chacune des trois parties (Conseil départemental, DDETS, ARS),
un pilote de la préfecture, un référent et un lecteur du Conseil départemental, et le
pilote d'un autre département."""

import pytest

from pilotage.contrats.models import Habilitation
from pilotage.rapports import services
from pilotage.territoires.models import Departement, Institution
from tests.factories import ContratFactory, make_fiche, make_pilote_institution

T = Institution.Type


@pytest.fixture
def contrat(db):
    return ContratFactory()


@pytest.fixture
def cd(contrat):
    return make_pilote_institution(contrat, T.CD, "Conseil départemental de la Creuse")


@pytest.fixture
def ddets(contrat):
    return make_pilote_institution(contrat, T.DDETS, "DDETS de la Creuse")


@pytest.fixture
def ars(contrat):
    return make_pilote_institution(contrat, T.ARS, "ARS Nouvelle-Aquitaine")


@pytest.fixture
def prefecture(contrat):
    return make_pilote_institution(contrat, T.PREFECTURE, "Préfecture de la Creuse")


@pytest.fixture
def referent(contrat, fiches):
    user = make_pilote_institution(
        contrat, T.CD, "Conseil départemental de la Creuse", role=Habilitation.Role.REFERENT
    )
    fiches[0].referents.add(user)
    return user


@pytest.fixture
def lecteur(contrat):
    return make_pilote_institution(
        contrat, T.CD, "Conseil départemental de la Creuse", role=Habilitation.Role.LECTEUR
    )


@pytest.fixture
def autre_departement(db):
    """Le pilote du Conseil départemental d'un autre contrat (la Corrèze)."""
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    return make_pilote_institution(autre, T.CD, "Conseil départemental de la Corrèze")


@pytest.fixture
def fiches(contrat, cd):
    return [make_fiche(contrat, n, user=cd) for n in (1, 2, 3)]


@pytest.fixture
def rapport(contrat, cd, fiches):
    return services.rapport_create(contrat=contrat, annee=2025, user=cd)


@pytest.fixture
def soumis(rapport, cd):
    return services.rapport_submit(rapport=rapport, user=cd)


@pytest.fixture
def valide(soumis, cd, ddets, ars):
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=soumis, user=user)
    soumis.refresh_from_db()
    return soumis


@pytest.fixture
def arrete(valide, cd):
    services.rapport_arreter(rapport=valide, user=cd)
    valide.refresh_from_db()
    return valide

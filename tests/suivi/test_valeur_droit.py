"""Le service de saisie d'une valeur vérifie lui-même le droit de saisir des chiffres sur
la fiche (la vue et l'import de tableur ne sont pas les seuls à l'appeler)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pilotage.contrats.models import Habilitation
from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

Role = Habilitation.Role


@pytest.fixture
def indicateur():
    return make_fiche(ContratFactory()).indicateurs.get(nature="quantitatif")


def _saisir(indicateur, user):
    return valeur_create(indicateur=indicateur, user=user, annee=2025, valeur=Decimal(12))


@pytest.mark.parametrize("role", [Role.PILOTE, Role.CONTRIBUTEUR, Role.VALIDATEUR])
def test_a_person_who_may_record_values_records_one(indicateur, role):
    user = UserFactory()
    grant(user, indicateur.fiche.contrat, role=role)
    assert _saisir(indicateur, user).user == user


@pytest.mark.parametrize("role", [Role.LECTEUR, Role.REFERENT, None])
def test_a_reader_an_other_fiche_s_referent_or_a_stranger_is_refused(indicateur, role):
    user = UserFactory()
    if role is not None:
        grant(user, indicateur.fiche.contrat, role=role)
    with pytest.raises(PermissionDenied):
        _saisir(indicateur, user)
    assert not ValeurIndicateur.objects.exists()


def test_a_person_of_another_contract_is_refused(indicateur):
    user = UserFactory()
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    grant(user, autre, role=Role.PILOTE)
    with pytest.raises(PermissionDenied):
        _saisir(indicateur, user)


def test_a_system_write_without_a_person_is_recorded(indicateur):
    assert _saisir(indicateur, None).user is None

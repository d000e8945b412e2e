"""Fixtures de l'espace partagé : les espaces créés, un contrat de la Creuse (23) et ses
personnes, des personnes d'ailleurs (Bouches-du-Rhône, 13), les niveaux régional et
national. Aucune personne n'a d'institution par défaut : chaque test dit d'où elle lit."""

import io

import docx
import pytest

from pilotage.comptes.models import User
from pilotage.espace import services
from pilotage.espace.models import Espace, Rubrique
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant


def docx_bytes(*paragraphs: str) -> bytes:
    """Un vrai document Word, fabriqué par python-docx."""
    document = docx.Document()
    for text in paragraphs or ("Guide de la collecte",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def personne(**fields) -> User:
    fields.setdefault("institution", None)
    return UserFactory(**fields)


@pytest.fixture
def espaces(db):
    services.espaces_assurer()
    return {e.cle: e for e in Espace.objects.select_related("region", "departement")}


@pytest.fixture
def national_espace(espaces):
    return espaces["national"]


@pytest.fixture
def espace_23(espaces):
    return espaces["departement-23"]


@pytest.fixture
def espace_13(espaces):
    return espaces["departement-13"]


@pytest.fixture
def espace_na(espaces, creuse):
    return espaces[Espace.cle_de(region=creuse.region)]


@pytest.fixture
def espace_paca(espaces):
    return espaces[Espace.cle_de(region=Departement.objects.get(code="13").region)]


@pytest.fixture
def rubrique(espaces):
    return Rubrique.objects.get(nom="Méthodes")


@pytest.fixture
def contrat_23(db):
    return ContratFactory()


@pytest.fixture
def pilote_23(contrat_23):
    user = personne(first_name="Paule", last_name="Pilote")
    grant(user, contrat_23)
    return user


@pytest.fixture
def lecteur_23(contrat_23):
    user = personne(first_name="Luc", last_name="Lecteur")
    grant(user, contrat_23, "lecteur")
    return user


@pytest.fixture
def agent_13(db):
    """Une personne d'une institution des Bouches-du-Rhône, sans habilitation."""
    institution = InstitutionFactory(
        nom="DDETS des Bouches-du-Rhône", departement=Departement.objects.get(code="13")
    )
    return personne(institution=institution)


@pytest.fixture
def regional_na(creuse):
    return personne(perimetre=User.Perimetre.REGIONAL, region=creuse.region)


@pytest.fixture
def national(db):
    return personne(perimetre=User.Perimetre.NATIONAL)

"""Matrice des droits : rôle × action × contrat de son département ou d'un autre."""

import pytest

from pilotage.contrats.models import Habilitation
from pilotage.territoires.models import Departement, Region
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

R = Habilitation.Role


@pytest.fixture
def setup(db):
    contrat = ContratFactory()  # Creuse
    other = ContratFactory(departement=Departement.objects.get(code="41"))
    fiche = make_fiche(contrat, numero=1)
    make_fiche(other, numero=1)
    return contrat, other, fiche


def _user(profile, contrat, fiche, other):
    user = UserFactory()
    match profile:
        case "pilote":
            grant(user, contrat, R.PILOTE)
        case "referent_designe":
            grant(user, contrat, R.REFERENT)
            fiche.referents.add(user)
        case "referent_autre_fiche":
            grant(user, contrat, R.REFERENT)
        case "contributeur" | "validateur" | "lecteur":
            grant(user, contrat, profile)
        case "regional":
            user.perimetre, user.region = "regional", contrat.departement.region
            user.save()
        case "regional_autre_region":
            user.perimetre, user.region = "regional", Region.objects.get(code="11")
            user.save()
        case "national":
            user.perimetre = "national"
            user.save()
        case "pilote_autre_departement":
            grant(user, other, R.PILOTE)
        case "sans_habilitation":
            pass
    return user


# profil → (voir, modifier la fiche, créer une fiche)
MATRIX = {
    "pilote": (200, 200, 200),
    "referent_designe": (200, 200, 403),
    "referent_autre_fiche": (200, 403, 403),
    "contributeur": (200, 403, 403),
    "validateur": (200, 403, 403),
    "lecteur": (200, 403, 403),
    "regional": (200, 403, 403),
    "national": (200, 403, 403),
    "regional_autre_region": (404, 404, 404),
    "pilote_autre_departement": (404, 404, 404),
    "sans_habilitation": (404, 404, 404),
}


@pytest.mark.parametrize("profile", MATRIX)
def test_access_follows_the_permission_matrix(client, setup, profile):
    contrat, other, fiche = setup
    client.force_login(_user(profile, contrat, fiche, other))
    view, edit, create = MATRIX[profile]
    base = f"/contrats/{contrat.pk}"
    assert client.get(f"{base}/").status_code == view
    assert client.get(f"{base}/fiches/1/").status_code == view
    assert client.get(f"{base}/fiches/1/historique/").status_code == view
    assert client.get(f"{base}/export.json").status_code == view
    assert client.get(f"{base}/fiches/1/modifier/").status_code == edit
    assert client.get(f"{base}/fiches/nouvelle/").status_code == create


@pytest.mark.parametrize("profile", ["lecteur", "referent_autre_fiche", "pilote_autre_departement"])
def test_a_forbidden_post_changes_nothing(client, setup, profile):
    contrat, other, fiche = setup
    client.force_login(_user(profile, contrat, fiche, other))
    response = client.post(
        f"/contrats/{contrat.pk}/fiches/1/modifier/", {"titre": "Pirate", "numero": 1}
    )
    assert response.status_code in (403, 404)
    fiche.refresh_from_db()
    assert fiche.titre == "Fiche de test n°1"


def test_a_user_of_one_departement_gets_404_on_another_departements_contract(client, setup):
    contrat, other, fiche = setup
    creuse_pilot = _user("pilote", contrat, fiche, other)
    client.force_login(creuse_pilot)
    assert client.get(f"/contrats/{other.pk}/").status_code == 404
    assert client.get(f"/contrats/{other.pk}/fiches/1/").status_code == 404
    home = client.get("/").content.decode()
    assert "Loir-et-Cher" not in home


def test_regional_staff_see_only_their_regions_contracts_on_the_home_page(client, setup):
    contrat, other, fiche = setup
    client.force_login(_user("regional", contrat, fiche, other))
    home = client.get("/").content.decode()
    assert "Creuse" in home
    assert "Loir-et-Cher" not in home


def test_anonymous_visitors_are_sent_to_the_login_page(client, setup):
    contrat, _other, _fiche = setup
    response = client.get(f"/contrats/{contrat.pk}/fiches/1/")
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]

"""Matrice des droits : profil × action, sur le contrat de la Creuse.

Pas de visibilité → 404 partout (on ne révèle pas que le contrat existe) ; visible
mais pas le droit d'agir → 403 ; autorisé → 200 (302 après un enregistrement).
"""

import json

import pytest

from pilotage.contrats.models import FicheAction, Habilitation
from pilotage.core.models import Revision
from pilotage.territoires.models import Departement
from tests.contrats.helpers import fiche_post_data
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

R = Habilitation.Role


@pytest.fixture
def world(db):
    """Contrat de la Creuse (fiches 1 et 2) et contrat du Loir-et-Cher (fiche 1)."""
    creuse = ContratFactory()
    loir_et_cher = ContratFactory(departement=Departement.objects.get(code="41"))
    fiche = make_fiche(creuse, numero=1)
    other_fiche = make_fiche(creuse, numero=2)
    make_fiche(loir_et_cher, numero=1)
    return {
        "contrat": creuse,
        "fiche": fiche,
        "other_fiche": other_fiche,
        "other_contrat": loir_et_cher,
    }


def make_user(profile: str, world: dict):
    contrat, fiche = world["contrat"], world["fiche"]
    user = UserFactory()
    match profile:
        case "pilote":
            grant(user, contrat, R.PILOTE)
        case "referent_designe":
            grant(user, contrat, R.REFERENT)
            fiche.referents.add(user)
        case "referent_non_designe":
            # Référent du contrat, désigné sur une autre fiche que celle testée.
            grant(user, contrat, R.REFERENT)
            world["other_fiche"].referents.add(user)
        case "contributeur":
            grant(user, contrat, R.CONTRIBUTEUR)
        case "validateur":
            grant(user, contrat, R.VALIDATEUR)
        case "lecteur":
            grant(user, contrat, R.LECTEUR)
        case "regional":
            user.perimetre = "regional"
            user.region = contrat.departement.region
            user.save()
        case "regional_autre_region":
            user.perimetre = "regional"
            user.region = world["other_contrat"].departement.region
            user.save()
        case "national":
            user.perimetre = "national"
            user.save()
        case "sans_habilitation":
            pass
        case "habilite_autre_departement":
            grant(user, world["other_contrat"], R.PILOTE)
        case _:
            raise AssertionError(f"profil inconnu : {profile}")
    return user


# Niveaux d'accès d'un profil sur le contrat de la Creuse et sa fiche n°1.
HIDDEN, READ, EDIT_FICHE, PILOT = "hidden", "read", "edit_fiche", "pilot"

PROFILES = {
    "pilote": PILOT,
    "referent_designe": EDIT_FICHE,
    "referent_non_designe": READ,
    "contributeur": READ,
    "validateur": READ,
    "lecteur": READ,
    "regional": READ,
    "regional_autre_region": HIDDEN,
    "national": READ,
    "sans_habilitation": HIDDEN,
    "habilite_autre_departement": HIDDEN,
}

ACTIONS = ["contrat", "fiche", "historique", "export", "edit_get", "edit_post", "create_get"]

# niveau → statut attendu pour chaque action
EXPECTED = {
    HIDDEN: dict.fromkeys(ACTIONS, 404),
    READ: {
        "contrat": 200,
        "fiche": 200,
        "historique": 200,
        "export": 200,
        "edit_get": 403,
        "edit_post": 403,
        "create_get": 403,
    },
    EDIT_FICHE: {
        "contrat": 200,
        "fiche": 200,
        "historique": 200,
        "export": 200,
        "edit_get": 200,
        "edit_post": 302,
        "create_get": 403,
    },
    PILOT: {
        "contrat": 200,
        "fiche": 200,
        "historique": 200,
        "export": 200,
        "edit_get": 200,
        "edit_post": 302,
        "create_get": 200,
    },
}

CASES = [
    pytest.param(profile, action, EXPECTED[level][action], id=f"{profile}-{action}")
    for profile, level in PROFILES.items()
    for action in ACTIONS
]


def request(client, action: str, contrat, fiche):
    base = f"/contrats/{contrat.pk}"
    match action:
        case "contrat":
            return client.get(f"{base}/")
        case "fiche":
            return client.get(f"{base}/fiches/{fiche.numero}/")
        case "historique":
            return client.get(f"{base}/fiches/{fiche.numero}/historique/")
        case "export":
            return client.get(f"{base}/export.json")
        case "edit_get":
            return client.get(f"{base}/fiches/{fiche.numero}/modifier/")
        case "edit_post":
            data = fiche_post_data(fiche, titre="Titre modifié par le formulaire")
            return client.post(f"{base}/fiches/{fiche.numero}/modifier/", data)
        case "create_get":
            return client.get(f"{base}/fiches/nouvelle/")
    raise AssertionError(f"action inconnue : {action}")


@pytest.mark.parametrize(("profile", "action", "expected"), CASES)
def test_each_profile_gets_the_expected_status_for_each_action(
    client, world, profile, action, expected
):
    client.force_login(make_user(profile, world))
    response = request(client, action, world["contrat"], world["fiche"])
    assert response.status_code == expected


@pytest.mark.parametrize("profile", [p for p, level in PROFILES.items() if level in (HIDDEN, READ)])
def test_a_refused_edit_post_changes_nothing(client, world, profile):
    fiche = world["fiche"]
    client.force_login(make_user(profile, world))
    response = request(client, "edit_post", world["contrat"], fiche)
    assert response.status_code in (403, 404)
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert (fiche.titre, fiche.version) == ("Fiche de test n°1", 1)
    assert Revision.objects.for_object(fiche).count() == 1


@pytest.mark.parametrize(
    "profile", [p for p, level in PROFILES.items() if level in (EDIT_FICHE, PILOT)]
)
def test_an_allowed_edit_post_saves_the_fiche_and_redirects_to_it(client, world, profile):
    fiche, contrat = world["fiche"], world["contrat"]
    user = make_user(profile, world)
    client.force_login(user)
    response = request(client, "edit_post", contrat, fiche)
    assert response.status_code == 302
    assert response["Location"] == f"/contrats/{contrat.pk}/fiches/1/"
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert fiche.titre == "Titre modifié par le formulaire"
    assert Revision.objects.for_object(fiche).first().user == user


def test_a_designated_referent_cannot_edit_another_fiche_of_the_same_contract(client, world):
    client.force_login(make_user("referent_designe", world))
    other = world["other_fiche"]
    assert request(client, "edit_get", world["contrat"], other).status_code == 403
    assert request(client, "edit_post", world["contrat"], other).status_code == 403
    assert FicheAction.objects.get(pk=other.pk).titre == "Fiche de test n°2"


def test_a_user_designated_on_the_fiche_without_the_referent_role_cannot_edit_it(client, world):
    user = make_user("lecteur", world)
    world["fiche"].referents.add(user)
    client.force_login(user)
    assert request(client, "edit_get", world["contrat"], world["fiche"]).status_code == 403


def test_a_user_of_one_departement_gets_404_on_another_departements_contract(client, world):
    """Le pilote de la Creuse ne voit rien du contrat du Loir-et-Cher, pas même son existence."""
    client.force_login(make_user("pilote", world))
    other = world["other_contrat"]
    other_fiche = other.fiches.get(numero=1)
    for action in ACTIONS:
        assert request(client, action, other, other_fiche).status_code == 404, action
    assert FicheAction.objects.get(pk=other_fiche.pk).version == 1
    home = client.get("/").content.decode()
    assert "Creuse" in home
    assert "Loir-et-Cher" not in home


def test_a_regional_user_sees_only_the_contracts_of_their_region_on_the_home_page(client, world):
    client.force_login(make_user("regional", world))
    home = client.get("/").content.decode()
    assert "Creuse" in home
    assert "Loir-et-Cher" not in home


def test_a_national_user_sees_every_contract_on_the_home_page(client, world):
    client.force_login(make_user("national", world))
    home = client.get("/").content.decode()
    assert "Creuse" in home
    assert "Loir-et-Cher" in home


def test_an_unknown_fiche_number_on_a_visible_contract_is_404(client, world):
    client.force_login(make_user("pilote", world))
    base = f"/contrats/{world['contrat'].pk}/fiches/99"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/historique/").status_code == 404
    assert client.get(f"{base}/modifier/").status_code == 404


def test_a_visible_contract_export_is_a_json_attachment(client, world):
    client.force_login(make_user("lecteur", world))
    response = request(client, "export", world["contrat"], world["fiche"])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="contrat-23-2025-2027.json"'
    assert [f["numero"] for f in json.loads(response.content)["fiches"]] == [1, 2]


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitors_are_redirected_to_the_login_page(client, world, action):
    response = request(client, action, world["contrat"], world["fiche"])
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/?next=")


def test_an_anonymous_post_changes_nothing(client, world):
    request(client, "edit_post", world["contrat"], world["fiche"])
    assert FicheAction.objects.get(pk=world["fiche"].pk).titre == "Fiche de test n°1"

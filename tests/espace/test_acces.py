"""Qui lit quel espace (404 sinon) et qui y publie (403 sinon)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pilotage.espace import services
from pilotage.espace.models import Espace

from .conftest import personne


def _status(client, user, espace) -> int:
    client.force_login(user)
    return client.get(reverse("espace:espace", args=[espace.cle])).status_code


def test_tout_le_monde_lit_l_espace_national(client, agent_13, lecteur_23, national_espace):
    sans_rien = personne()
    for user in (agent_13, lecteur_23, sans_rien):
        assert _status(client, user, national_espace) == 200


def test_un_membre_du_23_ne_lit_pas_l_espace_du_13(client, lecteur_23, espace_13, espace_23):
    assert _status(client, lecteur_23, espace_23) == 200
    assert _status(client, lecteur_23, espace_13) == 404


def test_un_membre_du_23_lit_l_espace_de_sa_region_et_pas_d_une_autre(
    client, lecteur_23, espace_na, espace_paca
):
    assert _status(client, lecteur_23, espace_na) == 200
    assert _status(client, lecteur_23, espace_paca) == 404


def test_l_institution_situe_la_personne(client, agent_13, espace_13, espace_paca, espace_23):
    assert _status(client, agent_13, espace_13) == 200
    assert _status(client, agent_13, espace_paca) == 200
    assert _status(client, agent_13, espace_23) == 404


def test_le_niveau_regional_lit_les_departements_de_sa_region(
    client, regional_na, espace_23, espace_na, espace_13, espace_paca, espaces
):
    assert _status(client, regional_na, espace_23) == 200
    assert _status(client, regional_na, espaces["departement-19"]) == 200
    assert _status(client, regional_na, espace_na) == 200
    assert _status(client, regional_na, espace_13) == 404
    assert _status(client, regional_na, espace_paca) == 404


def test_le_niveau_national_lit_tous_les_espaces(client, national, espace_13, espace_paca):
    assert _status(client, national, espace_13) == 200
    assert _status(client, national, espace_paca) == 200


def test_l_index_ne_liste_que_les_espaces_lus(client, lecteur_23, espaces):
    client.force_login(lecteur_23)
    response = client.get(reverse("espace:index"))
    liens = {
        e.cle for e in espaces.values() if reverse("espace:espace", args=[e.cle]) in response.text
    }
    assert liens == {"national", "departement-23", "region-75"}


def test_un_espace_inconnu_repond_404(client, lecteur_23, espaces):
    client.force_login(lecteur_23)
    assert client.get(reverse("espace:espace", args=["departement-999"])).status_code == 404


@pytest.mark.parametrize(
    ("qui", "cle", "permis"),
    [
        ("pilote_23", "departement-23", True),
        ("lecteur_23", "departement-23", False),
        ("pilote_23", "region-75", False),
        ("pilote_23", "national", False),
        ("regional_na", "region-75", True),
        ("regional_na", "region-93", False),
        ("regional_na", "national", False),
        ("national", "departement-13", True),
        ("national", "national", True),
    ],
)
def test_le_role_de_publication(request, espaces, qui, cle, permis):
    assert espaces[cle].peut_publier(request.getfixturevalue(qui)) is permis


def test_publier_sans_le_role_repond_403(client, lecteur_23, espace_23):
    client.force_login(lecteur_23)
    url = reverse("espace:ressource_nouvelle", args=[espace_23.cle])
    assert client.get(url).status_code == 403
    assert client.post(url, {"titre": "x"}).status_code == 403
    url = reverse("espace:actualite_nouvelle", args=[espace_23.cle])
    assert client.post(url, {"titre": "x", "texte": "y"}).status_code == 403


def test_un_editeur_nomme_publie_et_lit(client, national, agent_13, espace_23):
    assert not espace_23.peut_publier(agent_13)
    client.force_login(national)
    response = client.post(
        reverse("espace:editeurs", args=[espace_23.cle]), {"emails": agent_13.email}
    )
    assert response.status_code == 302
    assert espace_23.peut_publier(agent_13)
    assert Espace.objects.visibles_par(agent_13).filter(pk=espace_23.pk).exists()


def test_seul_le_national_nomme_les_editeurs(client, regional_na, espace_na, agent_13):
    client.force_login(regional_na)
    url = reverse("espace:editeurs", args=[espace_na.cle])
    assert client.post(url, {"emails": agent_13.email}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.editeurs_set(user=regional_na, espace=espace_na, editeurs=[agent_13])
    assert not espace_na.editeurs.exists()


def test_les_editeurs_se_nomment_par_adresse_sans_tenir_compte_de_la_casse(
    client, national, agent_13, espace_23
):
    client.force_login(national)
    url = reverse("espace:editeurs", args=[espace_23.cle])
    response = client.post(url, {"emails": f"{agent_13.email.upper()}\ninconnu@exemple.test"})
    assert response.status_code == 400
    assert "inconnu@exemple.test" in response.context["form"].errors["emails"][0]
    assert not espace_23.editeurs.exists()
    assert client.post(url, {"emails": agent_13.email.upper()}).status_code == 302
    assert list(espace_23.editeurs.all()) == [agent_13]

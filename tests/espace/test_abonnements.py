"""« Suivre cet espace » et « Ne plus suivre cet espace » : qui peut suivre quoi, le bouton
mis à jour en place (htmx) comme sans JavaScript, la liste des espaces suivis."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pilotage.contrats.models import Habilitation
from pilotage.espace import services
from pilotage.espace.models import Abonnement
from tests.htmx import assert_htmx_swap_matches_full_render

HTMX = {"HTTP_HX_REQUEST": "true"}
BOUTON = "//div[@id='abonnement']/form"


def test_on_suit_un_espace_que_l_on_lit_une_seule_fois(lecteur_23, espace_23, national_espace):
    premier = services.abonnement_create(user=lecteur_23, espace=espace_23)
    marque = premier.resume_jusqu_a
    again = services.abonnement_create(user=lecteur_23, espace=espace_23)
    services.abonnement_create(user=lecteur_23, espace=national_espace)
    assert again.pk == premier.pk and again.resume_jusqu_a == marque
    assert Abonnement.objects.filter(user=lecteur_23).count() == 2


@pytest.mark.parametrize(
    ("qui", "cle"),
    [
        ("lecteur_23", "departement-13"),
        ("lecteur_23", "region-93"),
        ("agent_13", "departement-23"),
        ("regional_na", "departement-13"),
    ],
)
def test_on_ne_suit_pas_un_espace_que_l_on_ne_lit_pas(request, espaces, qui, cle):
    user = request.getfixturevalue(qui)
    with pytest.raises(PermissionDenied):
        services.abonnement_create(user=user, espace=espaces[cle])
    assert not Abonnement.objects.exists()


def test_la_page_d_un_espace_non_lu_refuse_de_le_suivre(client, lecteur_23, espace_13):
    client.force_login(lecteur_23)
    response = client.post(reverse("espace:suivre", args=[espace_13.cle]))
    assert response.status_code == 404
    assert not Abonnement.objects.exists()


def test_sans_connexion_on_ne_suit_rien(client, espace_23):
    response = client.post(reverse("espace:suivre", args=[espace_23.cle]))
    assert response.status_code == 302 and "/connexion" in response.url
    assert not Abonnement.objects.exists()


def test_suivre_se_fait_par_post_seulement(client, lecteur_23, espace_23):
    client.force_login(lecteur_23)
    assert client.get(reverse("espace:suivre", args=[espace_23.cle])).status_code == 405
    assert not Abonnement.objects.exists()


def test_ne_plus_suivre_ne_retire_que_son_propre_abonnement(lecteur_23, pilote_23, espace_23):
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    services.abonnement_create(user=pilote_23, espace=espace_23)
    assert services.abonnement_delete(user=lecteur_23, espace=espace_23) is True
    assert services.abonnement_delete(user=lecteur_23, espace=espace_23) is False
    assert list(Abonnement.objects.values_list("user", flat=True)) == [pilote_23.pk]


def test_ne_plus_suivre_reste_possible_apres_la_perte_de_l_acces(lecteur_23, contrat_23, espace_23):
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    Habilitation.objects.filter(user=lecteur_23).delete()
    assert services.abonnement_delete(user=lecteur_23, espace=espace_23) is True


def test_sans_javascript_le_bouton_suit_puis_ne_suit_plus(client, lecteur_23, espace_23):
    client.force_login(lecteur_23)
    adresse = reverse("espace:espace", args=[espace_23.cle])
    page = client.get(adresse)
    assert "Suivre cet espace" in page.text
    assert "un courriel par semaine, seulement s'il y a du nouveau" in page.text
    response = client.post(reverse("espace:suivre", args=[espace_23.cle]), follow=True)
    assert response.redirect_chain == [(adresse, 302)]
    assert Abonnement.objects.filter(user=lecteur_23, espace=espace_23).exists()
    assert "Ne plus suivre cet espace" in response.text
    assert "Vous suivez cet espace : un courriel par semaine" in response.text  # message
    client.post(reverse("espace:ne_plus_suivre", args=[espace_23.cle]))
    assert not Abonnement.objects.exists()


@pytest.mark.parametrize("deja_suivi", [False, True])
def test_avec_htmx_le_bouton_change_en_place_comme_la_page_entiere(
    client, lecteur_23, espace_23, deja_suivi
):
    if deja_suivi:
        services.abonnement_create(user=lecteur_23, espace=espace_23)
    client.force_login(lecteur_23)
    adresse = reverse("espace:espace", args=[espace_23.cle])
    avant = client.get(adresse)
    action = "espace:ne_plus_suivre" if deja_suivi else "espace:suivre"
    response = client.post(reverse(action, args=[espace_23.cle]), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert Abonnement.objects.exists() is not deja_suivi
    assert_htmx_swap_matches_full_render(
        avant, BOUTON, response, client.get(adresse), transient=["#abonnement-annonce"]
    )


def test_l_index_liste_les_espaces_suivis_et_permet_de_ne_plus_les_suivre(
    client, lecteur_23, contrat_23, espace_23, national_espace
):
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    services.abonnement_create(user=lecteur_23, espace=national_espace)
    client.force_login(lecteur_23)
    index = reverse("espace:index")
    page = client.get(index)
    assert "Espaces suivis" in page.text
    assert reverse("espace:ne_plus_suivre", args=[espace_23.cle]) in page.text
    response = client.post(
        reverse("espace:ne_plus_suivre", args=[espace_23.cle]), {"suivant": index}
    )
    assert response.status_code == 302 and response.url == index
    assert list(Abonnement.objects.values_list("espace", flat=True)) == [national_espace.pk]
    # Un espace que l'on ne lit plus n'est plus montré (il n'envoie plus rien).
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    Habilitation.objects.filter(user=lecteur_23).delete()
    page = client.get(index)
    assert reverse("espace:ne_plus_suivre", args=["national"]) in page.text
    assert reverse("espace:ne_plus_suivre", args=[espace_23.cle]) not in page.text


def test_le_retour_apres_ne_plus_suivre_reste_sur_le_site(client, lecteur_23, espace_23):
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    client.force_login(lecteur_23)
    response = client.post(
        reverse("espace:ne_plus_suivre", args=[espace_23.cle]),
        {"suivant": "https://ailleurs.example.com/"},
    )
    assert response.url == reverse("espace:espace", args=[espace_23.cle])


def test_l_index_sans_abonnement_explique_comment_suivre(client, lecteur_23, espaces):
    client.force_login(lecteur_23)
    page = client.get(reverse("espace:index"))
    assert "Vous ne suivez aucun espace" in page.text

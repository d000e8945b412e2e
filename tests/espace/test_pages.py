"""Page d'accueil d'un espace : actualités, rubriques, nombre de requêtes borné."""

import pytest
from django.urls import reverse

from pilotage.espace import selectors, services
from pilotage.referentiel.models import Objectif

from .conftest import docx_bytes


def _remplir(user, espace, rubrique, generation, n: int) -> None:
    objectifs = list(Objectif.objects.filter(generation=generation)[:3])
    premiere = None
    for i in range(n):
        ressource = services.ressource_create(
            user=user,
            espace=espace,
            rubrique=rubrique,
            titre=f"Ressource {i}",
            resume="Résumé.",
            filename=f"r{i}.docx",
            data=docx_bytes(f"Contenu {i}"),
            objectifs=objectifs,
        )
        services.ressource_version_add(
            user=user, ressource=ressource, filename=f"r{i}-v2.docx", data=docx_bytes("v2")
        )
        services.actualite_create(user=user, espace=espace, titre=f"Actualité {i}", texte="Texte.")
        services.proposition_create(user=user, espace=espace, titre=f"Idée {i}", texte="Texte.")
        premiere = premiere or ressource
    # La plus ancienne : hors des ressources les plus récentes montrées par rubrique.
    services.ressource_du_trimestre_set(user=user, espace=espace, ressource=premiere)


@pytest.mark.parametrize("n", [1, 12])
def test_l_accueil_d_un_espace_a_un_nombre_de_requetes_borne(
    client, pilote_23, espace_23, rubrique, generation, n, django_assert_max_num_queries
):
    _remplir(pilote_23, espace_23, rubrique, generation, n)
    client.force_login(pilote_23)
    url = reverse("espace:espace", args=[espace_23.cle])
    # 16 observées avec une ressource (session, personne, compteur « Mes tâches » du menu,
    # « Suivre cet espace » compris), une de plus quand la ressource du trimestre n'est pas parmi les plus
    # récentes de sa rubrique ; une requête par ressource en ferait 11 de plus.
    with django_assert_max_num_queries(16 + 1):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["actualites"]) == min(n, 5)
    assert response.context["du_trimestre"].titre == "Ressource 0"
    (methodes,) = [r for r in response.context["rubriques"] if r.rubrique == rubrique]
    assert len(methodes.ressources) == min(n, selectors.PAR_RUBRIQUE)
    assert methodes.ressources[0].titre == f"Ressource {n - 1}"
    if n > selectors.PAR_RUBRIQUE:
        assert f"Les {n} ressources de la rubrique « Méthodes »" in response.text


def test_l_accueil_filtre_par_rubrique(client, pilote_23, espace_23, rubrique, generation):
    _remplir(pilote_23, espace_23, rubrique, generation, 1)
    client.force_login(pilote_23)
    autre = rubrique.__class__.objects.exclude(pk=rubrique.pk).first()
    response = client.get(reverse("espace:espace", args=[espace_23.cle]), {"rubrique": autre.pk})
    assert "Ressource 0" not in response.text
    assert response.context["du_trimestre"] is None
    assert [r.rubrique for r in response.context["rubriques"] if r.ressources] == []
    response = client.get(reverse("espace:espace", args=[espace_23.cle]), {"rubrique": "abc"})
    assert response.status_code == 200


def test_une_actualite_publiee_est_sur_l_accueil(client, regional_na, espace_na):
    client.force_login(regional_na)
    response = client.post(
        reverse("espace:actualite_nouvelle", args=[espace_na.cle]),
        {"titre": "Webinaire régional", "texte": "Le 12 février, retour sur les relevés."},
    )
    assert response.status_code == 302
    page = client.get(reverse("espace:espace", args=[espace_na.cle]))
    assert "Webinaire régional" in page.text


def test_le_texte_d_une_actualite_est_borne(client, regional_na, espace_na):
    client.force_login(regional_na)
    response = client.post(
        reverse("espace:actualite_nouvelle", args=[espace_na.cle]),
        {"titre": "Long", "texte": "x" * 1501},
    )
    assert response.status_code == 400
    assert "1\N{NO-BREAK SPACE}500" in response.context["form"].errors["texte"][0]


def test_les_rubriques_de_depart(espaces):
    from pilotage.espace.models import Rubrique

    assert list(Rubrique.objects.values_list("nom", flat=True)) == [
        "Méthodes",
        "Modèles",
        "Retours d'expérience",
        "Outils pratiques",
    ]


def test_le_national_ajoute_et_renomme_une_rubrique(client, national, espaces):
    from pilotage.espace.models import Rubrique

    client.force_login(national)
    url = reverse("espace:rubriques")
    response = client.post(url, {"nom": "Animation", "description": "", "ordre": 5})
    assert response.status_code == 302
    rubrique = Rubrique.objects.get(nom="Animation")
    response = client.post(
        reverse("espace:rubrique", args=[rubrique.pk]),
        {"nom": "Animer les réunions", "description": "Exemples.", "ordre": 5},
    )
    assert response.status_code == 302
    rubrique.refresh_from_db()
    assert rubrique.nom == "Animer les réunions"
    response = client.post(url, {"nom": "méthodes", "description": "", "ordre": 1})
    assert response.status_code == 400
    assert response.context["form"].errors["nom"] == ["Une rubrique porte déjà ce nom."]


def test_seul_le_national_modifie_les_rubriques(client, regional_na, espaces):
    client.force_login(regional_na)
    response = client.post(reverse("espace:rubriques"), {"nom": "X", "ordre": 1})
    assert response.status_code == 403

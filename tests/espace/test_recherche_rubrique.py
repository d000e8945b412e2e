"""Filtre « Rubrique » de la recherche : une ressource rangée sous « Méthodes » est
trouvée avec ce filtre et non avec « Modèles » ; le choix n'est montré que s'il sert
(sans sorte choisie, ou les ressources)."""

import pytest
from django.urls import reverse

from pilotage.core.recherche import Filtres, search
from pilotage.espace import services
from pilotage.espace.models import Rubrique

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(pilote_23, espace_23, rubrique):
    return services.ressource_create(
        user=pilote_23,
        espace=espace_23,
        rubrique=rubrique,
        titre="Guide des évaluations",
        resume="Préparer la collecte.",
        lien="https://exemple.test/guide",
    )


def test_ressource_trouvee_avec_sa_rubrique_et_pas_avec_une_autre(guide, pilote_23, rubrique):
    modeles = Rubrique.objects.get(nom="Modèles")
    assert search(pilote_23, "evaluation", Filtres(rubrique=rubrique.pk)).total == 1
    assert search(pilote_23, "evaluation", Filtres(rubrique=modeles.pk)).total == 0
    assert search(pilote_23, "evaluation").total == 1


def test_le_filtre_de_la_page_s_applique(client, guide, pilote_23, rubrique):
    client.force_login(pilote_23)
    url = reverse("recherche")
    modeles = Rubrique.objects.get(nom="Modèles")
    page = client.get(url, {"q": "evaluation", "rubrique": rubrique.pk}).content.decode()
    assert "1 résultat pour" in page and "Guide des évaluations" in page
    page = client.get(url, {"q": "evaluation", "rubrique": modeles.pk}).content.decode()
    assert "Aucun résultat" in page


def test_rubrique_montree_seulement_quand_elle_sert(client, guide, pilote_23, rubrique):
    client.force_login(pilote_23)
    url = reverse("recherche")
    for sorte in ("", "ressource"):
        page = client.get(url, {"q": "evaluation", "sorte": sorte}).content.decode()
        assert 'name="rubrique"' in page and "Méthodes</option>" in page, sorte
    page = client.get(url, {"q": "evaluation", "sorte": "actualite"}).content.decode()
    assert 'name="rubrique"' not in page


def test_rubrique_restee_dans_l_adresse_ignoree_pour_une_autre_sorte(
    client, guide, pilote_23, espace_23
):
    services.actualite_create(
        user=pilote_23, espace=espace_23, titre="Atelier", texte="Atelier d'évaluation"
    )
    client.force_login(pilote_23)
    modeles = Rubrique.objects.get(nom="Modèles")
    page = client.get(
        reverse("recherche"), {"q": "evaluation", "sorte": "actualite", "rubrique": modeles.pk}
    ).content.decode()
    assert "1 résultat pour" in page and "Atelier" in page

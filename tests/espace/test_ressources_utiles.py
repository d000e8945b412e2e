"""Bloc « Ressources utiles » de la page d'une fiche action : les ressources liées à
l'un de ses objectifs, parmi les espaces que la personne lit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage.espace import selectors, services
from pilotage.espace.models import FichierRessource
from pilotage.referentiel.models import Objectif
from tests.factories import make_fiche


def _ressource(user, espace, rubrique, titre, objectifs):
    return services.ressource_create(
        user=user,
        espace=espace,
        rubrique=rubrique,
        titre=titre,
        resume="Résumé.",
        lien="https://exemple.gouv.fr/" + titre.replace(" ", "-"),
        objectifs=objectifs,
    )


def test_une_ressource_liee_a_l_objectif_est_sur_la_fiche(
    client,
    pilote_23,
    contrat_23,
    national,
    national_espace,
    espace_23,
    espace_13,
    rubrique,
    generation,
):
    fiche = make_fiche(contrat_23, numero=1, user=pilote_23, objectifs=(3,))
    objectif_3 = Objectif.objects.get(generation=generation, numero=3)
    objectif_5 = Objectif.objects.get(generation=generation, numero=5)
    liee = _ressource(national, national_espace, rubrique, "Guide objectif trois", [objectif_3])
    locale = _ressource(pilote_23, espace_23, rubrique, "Retour creusois", [objectif_3])
    _ressource(national, national_espace, rubrique, "Autre objectif", [objectif_5])
    _ressource(national, espace_13, rubrique, "Ressource des Bouches", [objectif_3])
    client.force_login(pilote_23)
    response = client.get(reverse("contrats:fiche", args=[contrat_23.pk, fiche.numero]))
    assert response.status_code == 200
    assert "Ressources utiles" in response.text
    montrees = response.context["ressources"]
    assert montrees == [locale, liee]
    for ressource in (liee, locale):
        url = reverse("espace:ressource", args=[ressource.espace.cle, ressource.pk])
        assert url in response.text
    assert "Autre objectif" not in response.text
    assert "Ressource des Bouches" not in response.text


def test_sans_ressource_liee_pas_de_bloc(client, pilote_23, contrat_23, espaces):
    fiche = make_fiche(contrat_23, numero=1, user=pilote_23, objectifs=(3,))
    client.force_login(pilote_23)
    response = client.get(reverse("contrats:fiche", args=[contrat_23.pk, fiche.numero]))
    assert response.status_code == 200
    assert "Ressources utiles" not in response.text


def test_le_bloc_a_un_nombre_de_requetes_qui_ne_grandit_pas(
    client, pilote_23, contrat_23, national, national_espace, rubrique, generation
):
    fiche = make_fiche(contrat_23, numero=1, user=pilote_23, objectifs=(3,))
    objectif_3 = Objectif.objects.get(generation=generation, numero=3)
    url = reverse("contrats:fiche", args=[contrat_23.pk, fiche.numero])
    client.force_login(pilote_23)
    comptes = []
    for n in (1, 8):
        while national_espace.ressources.count() < n:
            i = national_espace.ressources.count()
            _ressource(national, national_espace, rubrique, f"Guide {i}", [objectif_3])
        client.get(url)  # session et caches chauds, comme pour la mesure suivante
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["ressources"]) == min(n, selectors.RESSOURCES_UTILES)
        comptes.append(len(queries))
    assert comptes[0] == comptes[1]


def test_les_espaces_territoriaux_sont_nommes_sans_une_requete_par_ressource(
    client, pilote_23, contrat_23, national, national_espace, espace_23, espace_na, rubrique
):
    fiche = make_fiche(contrat_23, numero=1, user=pilote_23, objectifs=(3,))
    objectif_3 = fiche.objectifs.get()
    url = reverse("contrats:fiche", args=[contrat_23.pk, fiche.numero])
    client.force_login(pilote_23)
    _ressource(national, national_espace, rubrique, "Guide national", [objectif_3])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    au_national = len(queries)
    for i in range(3):
        _ressource(national, espace_23, rubrique, f"Retour creusois {i}", [objectif_3])
    for i in range(2):
        _ressource(national, espace_na, rubrique, f"Méthode régionale {i}", [objectif_3])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Une requête pour les régions, une pour les départements : pas une par ressource.
    assert len(queries) == au_national + 2
    assert len(response.context["ressources"]) == 6
    assert response.text.count(espace_23.nom) == 3
    assert response.text.count(espace_na.nom) == 2


def test_la_taille_montree_est_celle_du_dernier_fichier_depose(
    client, pilote_23, contrat_23, national, national_espace, rubrique
):
    fiche = make_fiche(contrat_23, numero=1, user=pilote_23, objectifs=(3,))
    ressource = _ressource(national, national_espace, rubrique, "Modèle", [fiche.objectifs.get()])
    for taille in (2048, 5 * 1024 * 1024, 1024):
        FichierRessource.objects.create(
            ressource=ressource,
            fichier="espace/modele.pdf",
            nom="modele.pdf",
            type_contenu="application/pdf",
            taille=taille,
        )
    client.force_login(pilote_23)
    response = client.get(reverse("contrats:fiche", args=[contrat_23.pk, fiche.numero]))
    assert " · fichier, 1,0\xa0Kio" in response.text
    assert " · lien" not in response.text

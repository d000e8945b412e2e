"""Classement de la recherche (issue 16) : pertinence puis date, plafond des candidats
(« plus de 200 »), visibilité dans la requête même au-delà du plafond, nombre de requêtes
de la page indépendant du nombre de résultats. Mêmes attentes sur SQLite et PostgreSQL."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.comptes.models import User
from pilotage.contrats.models import FicheAction
from pilotage.core.models import EntreeRecherche
from pilotage.core.recherche import Filtres, index_object, search
from pilotage.core.recherche.classement import CANDIDATS
from pilotage.core.recherche.index import _valeurs
from pilotage.core.recherche.registre import Document
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

NUMEROS = itertools.count()
LONG = " ".join(["Le comité de pilotage se réunit chaque trimestre avec les partenaires."] * 30)


@pytest.fixture
def contrats(creuse, loir_et_cher):
    return ContratFactory(departement=creuse), ContratFactory(departement=loir_et_cher)


@pytest.fixture
def pilote_23(contrats):
    user = UserFactory()
    grant(user, contrats[0])
    return user


@pytest.fixture
def pilote_41(contrats):
    user = UserFactory()
    grant(user, contrats[1])
    return user


def _lignes(contrat, nombre: int, date=None, titre="Élément") -> None:
    """Des lignes d'index écrites en lot (fiches inventées), pour passer le plafond."""
    portee = {
        "contrat_id": contrat.pk,
        "departement_id": contrat.departement_id,
        "region_id": contrat.departement.region_id,
    }
    EntreeRecherche.objects.bulk_create(
        EntreeRecherche(
            modele="tests.Inventee",
            objet_id=next(NUMEROS),
            **_valeurs(
                "fiche",
                Document(
                    titre=f"{titre} n°{i}",
                    texte="maraudes de nuit",
                    url="/",
                    date=date or datetime.date(2026, 1, 1),
                    **portee,
                ),
            ),
        )
        for i in range(nombre)
    )


def _titres(recherche, sorte="fiche"):
    return [r.titre for g in recherche.groupes if g.sorte == sorte for r in g.resultats]


def test_le_plus_pertinent_d_abord_meme_plus_ancien(contrats, pilote_23):
    """Le mot dans le titre et plusieurs fois dans le texte court l'emporte sur une seule
    mention au milieu d'un long texte, pourtant écrite plus tard."""
    pertinente = make_fiche(
        contrats[0],
        numero=1,
        titre="Maraudes éducatives",
        constat="Les maraudes de nuit ; des maraudes de jour.",
    )
    # Modifiée il y a un an : la date seule la mettrait après l'autre.
    FicheAction.objects.filter(pk=pertinente.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365)
    )
    index_object(FicheAction.objects.get(pk=pertinente.pk))
    make_fiche(contrats[0], numero=2, titre="Comité", constat=f"{LONG} Une maraude. {LONG}")
    assert _titres(search(pilote_23, "maraudes")) == [
        "Fiche action n°1 – Maraudes éducatives (Creuse)",
        "Fiche action n°2 – Comité (Creuse)",
    ]


def test_a_pertinence_egale_le_plus_recent_d_abord(contrats, pilote_23):
    _lignes(contrats[0], 1, date=datetime.date(2026, 6, 1), titre="Récent")
    _lignes(contrats[0], 1, date=datetime.date(2025, 1, 1), titre="Ancien")
    assert _titres(search(pilote_23, "maraudes")) == ["Récent n°0", "Ancien n°0"]


def test_au_dela_du_plafond_la_page_dit_plus_de(client, contrats, pilote_23):
    _lignes(contrats[0], CANDIDATS + 5)
    recherche = search(pilote_23, "maraudes")
    groupe = recherche.groupes[0]
    assert (groupe.nombre, groupe.plus, len(groupe.resultats)) == (CANDIDATS, True, 5)
    assert recherche.plus and recherche.total == CANDIDATS
    parcours = search(pilote_23, "maraudes", Filtres(sorte="fiche"), page=99)
    assert (parcours.page, parcours.pages) == (CANDIDATS // 20, CANDIDATS // 20)
    client.force_login(pilote_23)
    page = client.get(reverse("recherche"), {"q": "maraudes"}).content.decode()
    assert f"Plus de {CANDIDATS} résultats" in page
    assert f"Fiches actions (plus de {CANDIDATS})" in page
    assert f"Voir plus de {CANDIDATS} résultats : fiches actions" in page


def test_au_plafond_exactement_le_nombre_est_exact(contrats, pilote_23):
    _lignes(contrats[0], CANDIDATS)
    groupe = search(pilote_23, "maraudes").groupes[0]
    assert (groupe.nombre, groupe.plus) == (CANDIDATS, False)


def test_la_visibilite_est_dans_la_requete_avant_le_plafond(contrats, pilote_41):
    """Des centaines de lignes de la Creuse, plus récentes, ne masquent pas les deux du
    Loir-et-Cher : le plafond s'applique à ce que la personne voit."""
    plus_tard = datetime.date.today() + datetime.timedelta(days=365)
    _lignes(contrats[0], CANDIDATS + 50, date=plus_tard)
    make_fiche(contrats[1], titre="Maraudes du Loir-et-Cher")
    recherche = search(pilote_41, "maraudes")
    assert recherche.total == 2 and not recherche.plus  # la fiche et son indicateur
    assert _titres(recherche) == ["Fiche action n°1 – Maraudes du Loir-et-Cher (Loir-et-Cher)"]


def test_national_voit_tout_et_filtre_par_contrat(contrats):
    national = UserFactory(perimetre=User.Perimetre.NATIONAL)
    _lignes(contrats[0], 3)
    _lignes(contrats[1], 2)
    assert search(national, "maraudes").total == 5
    assert search(national, "maraudes", Filtres(contrat=contrats[1].pk)).total == 2


def test_requetes_de_la_page_independantes_du_nombre_de_resultats(
    client, contrats, django_assert_max_num_queries
):
    national = UserFactory(perimetre=User.Perimetre.NATIONAL)
    client.force_login(national)
    _lignes(contrats[0], 3)
    url = reverse("recherche")
    with django_assert_max_num_queries(20) as peu:
        client.get(url, {"q": "maraudes"})
    _lignes(contrats[1], CANDIDATS + 30)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        response = client.get(url, {"q": "maraudes"})
    assert f"Fiches actions (plus de {CANDIDATS})" in response.content.decode()

"""Index de la recherche à jour (issue 16) : un indicateur supprimé de la fiche (sans
suivi) n'est plus trouvé dès la fin de `fiche_update` ; les référents donnés ou retirés par
la gestion des accès, et leur nouveau nom reçu de ProConnect, suivent dans le texte de la
fiche."""

from pilotage.comptes.services import user_proconnect_link
from pilotage.contrats.acces.services import referent_fiches_set
from pilotage.contrats.models import Indicateur
from pilotage.contrats.services import fiche_update
from pilotage.core.recherche import Filtres, search
from tests.factories import UserFactory, grant

INDICATEURS = Filtres(sorte="indicateur")
FICHES = Filtres(sorte="fiche")


def test_un_indicateur_supprime_de_la_fiche_n_est_plus_trouve(fiche, pilote):
    assert search(pilote, "EPP realises", INDICATEURS).total == 1
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, indicateurs=[])
    assert not Indicateur.objects.filter(fiche=fiche).exists()
    assert search(pilote, "EPP realises", INDICATEURS).total == 0


def test_un_referent_donne_puis_retire_suit_dans_la_recherche_des_fiches(contrat, fiche, pilote):
    personne = UserFactory(first_name="Zoé", last_name="Hirondelle")
    grant(personne, contrat, "referent")
    referent_fiches_set(contrat=contrat, person=personne, fiches=[fiche], user=pilote)
    assert search(pilote, "hirondelle", FICHES).total == 1
    referent_fiches_set(contrat=contrat, person=personne, fiches=(), user=pilote)
    assert search(pilote, "hirondelle", FICHES).total == 0


def test_le_nouveau_nom_d_un_referent_suit_dans_la_recherche_des_fiches(fiche, pilote):
    personne = UserFactory(first_name="Zoé", last_name="Hirondelle")
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, referents=[personne])
    assert search(pilote, "hirondelle", FICHES).total == 1
    user_proconnect_link(
        user=personne, sub="sub-test", claims={"given_name": "Zoé", "usual_name": "Martinet"}
    )
    assert search(pilote, "martinet", FICHES).total == 1
    assert search(pilote, "hirondelle", FICHES).total == 0

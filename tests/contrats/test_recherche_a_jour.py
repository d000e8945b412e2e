"""Index de la recherche à jour après une suppression (issue 16) : un indicateur supprimé
de la fiche (sans suivi) n'est plus trouvé dès la fin de `fiche_update`."""

from pilotage.contrats.models import Indicateur
from pilotage.contrats.services import fiche_update
from pilotage.core.recherche import Filtres, search

INDICATEURS = Filtres(sorte="indicateur")


def test_un_indicateur_supprime_de_la_fiche_n_est_plus_trouve(fiche, pilote):
    assert search(pilote, "EPP realises", INDICATEURS).total == 1
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, indicateurs=[])
    assert not Indicateur.objects.filter(fiche=fiche).exists()
    assert search(pilote, "EPP realises", INDICATEURS).total == 0

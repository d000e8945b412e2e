"""`make demo` finit par indexer la recherche : la démonstration est cherchable aussitôt."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from pilotage.core.models import EntreeRecherche
from pilotage.core.recherche import Filtres, search


def test_charger_demo_finit_par_indexer_la_recherche(db, capsys):
    call_command("charger_demo", "--silencieux")
    assert "élément(s) indexé(s)" in capsys.readouterr().out
    assert EntreeRecherche.objects.filter(sorte="fiche").exists()
    pilote = get_user_model().objects.get(email="pilote.cd@demo.pilotage.test")
    assert search(pilote, "enfants", Filtres(sorte="fiche")).total > 0

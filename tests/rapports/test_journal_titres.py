"""Téléchargements du rapport d'exécution inscrits au journal des accès (comme ceux des
comptes rendus de réunion) ; titres de la page du rapport dans l'ordre (aucun niveau
sauté : règle axe « heading-order »)."""

from django.urls import reverse
from lxml import html as lxml_html

from pilotage.journal.models import Acces


def _url(rapport, name, *args):
    return reverse(f"rapports:{name}", args=[rapport.contrat_id, rapport.annee, *args])


def test_le_telechargement_du_brouillon_est_inscrit_au_journal(client, rapport, ddets):
    client.force_login(ddets)
    response = client.get(_url(rapport, "telecharger", "xlsx"))
    assert response.status_code == 200
    acces = Acces.objects.get()
    assert acces.user == ddets and acces.contrat == rapport.contrat
    assert acces.nature == Acces.Nature.TELECHARGEMENT
    assert acces.objet == "Rapport d'exécution 2025, version 1 (XLSX)"


def test_le_json_d_une_version_arretee_est_inscrit_au_journal(client, arrete, ars):
    client.force_login(ars)
    response = client.get(_url(arrete, "fichier_version", 1, "json"))
    assert response.status_code == 200
    assert Acces.objects.get().objet == "Rapport d'exécution 2025, version 1 (JSON)"


def test_un_fichier_pas_encore_pret_n_est_pas_inscrit(client, rapport, cd):
    client.force_login(cd)
    response = client.get(_url(rapport, "fichier_brouillon", "pdf"))
    assert response.status_code == 302
    assert not Acces.objects.exists()


def test_les_titres_de_la_page_du_rapport_ne_sautent_aucun_niveau(client, rapport, cd):
    client.force_login(cd)
    tree = lxml_html.document_fromstring(client.get(_url(rapport, "rapport")).content)
    main = tree.xpath("//main")[0]
    levels = [int(h.tag[1]) for h in main.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and 3 in levels and 4 in levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels

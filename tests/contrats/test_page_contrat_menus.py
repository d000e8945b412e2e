"""Page du contrat : les exports sont réunis dans un menu « Télécharger » ; chaque compteur
de la synthèse mène à la liste des fiches filtrée."""

import re

from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def contract_page(client, db):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, numero=1, etat="en_cours", a_impact=True)
    make_fiche(contrat, numero=2, etat="non_demarree")
    client.force_login(pilote)
    return contrat, client.get(f"/contrats/{contrat.pk}/").content.decode()


def test_every_export_is_in_one_download_menu(client, db):
    contrat, page = contract_page(client, db)
    menu = re.search(
        r'<details class="menu-deroulant" id="menu-telecharger">(.*?)</details>', page, re.S
    )
    assert menu and "<summary" in menu.group(1) and ">Télécharger</summary>" in menu.group(1)
    base = f"/contrats/{contrat.pk}"
    for href in (
        f"{base}/fiches/export.docx",
        f"{base}/fiches/export.odt",
        f"{base}/fiches/export.pdf",
        f"{base}/export.json",
        f"{base}/indicateurs.xlsx",
        f"{base}/indicateurs.ods",
        f"{base}/indicateurs.csv",
    ):
        assert f'href="{href}"' in menu.group(1), href
        assert page.count(f'href="{href}"') == 1, href  # plus de bouton en double
    assert "pilotage/menus.js" in page


def test_each_counter_links_to_the_filtered_list_of_fiches(client, db):
    contrat, page = contract_page(client, db)
    base = f"/contrats/{contrat.pk}/"
    assert (
        f'href="{base}?etat=en_cours#fiches-titre">1<span class="fr-sr-only"> fiche : En cours'
        in page
    )
    assert (
        f'href="{base}?etat=retard#fiches-titre">0<span class="fr-sr-only"> fiches : En retard'
        in page
    )
    assert (
        f'href="{base}?a_impact=on#fiches-titre">1<span class="fr-sr-only"> fiche : À impact'
        in page
    )
    filtered = client.get(f"{base}?etat=en_cours").content.decode()
    assert "1 fiche sur 2" in filtered

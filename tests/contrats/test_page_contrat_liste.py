"""Liste des fiches de la page du contrat : sans filtre, une seule lecture des fiches sert
la liste, les compteurs et les choix du filtre « Référent » ; les liens des fiches sont
construits sur une adresse inversée une fois (`contrats.adresses`), les badges d'état
rendus une fois par état."""

from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse

from pilotage.contrats.badges import etat_badges
from pilotage.contrats.models import FicheAction, Jalon
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def test_the_list_and_late_steps_link_each_fiche_to_its_address(client, db):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    for numero in (1, 12):
        fiche = make_fiche(contrat, numero, user=pilote, etat="en_cours")
        Jalon.objects.create(fiche=fiche, libelle=f"Étape {numero}", date_prevue=date(2020, 1, 1))
    client.force_login(pilote)
    html = client.get(reverse("contrats:contrat", args=[contrat.pk])).content.decode()
    for numero in (1, 12):
        adresse = reverse("contrats:fiche", args=[contrat.pk, numero])
        assert html.count(f'href="{adresse}"') == 2  # la liste et l'étape en retard


def test_referents_read_from_loaded_fiches_are_those_the_query_gives(db):
    contrat = ContratFactory()
    for numero, referent in enumerate(["Mme Martin", "MME MARTIN ", "", "  ", "ASE"], 1):
        make_fiche(contrat, numero, referent=referent)
    fiches = FicheAction.objects.filter(contrat=contrat)
    noms = [f.referent for f in fiches]
    assert fiches.referents_distincts(noms=noms) == fiches.referents_distincts()


def test_the_unfiltered_page_offers_the_referents_and_counts_of_the_filtered_one(client, db):
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, 1, user=pilote, referent="Mme Martin (PMI)", etat="en_cours")
    make_fiche(contrat, 2, user=pilote, referent="MME MARTIN (PMI)")
    make_fiche(contrat, 3, user=pilote, referent="ASE", a_impact=True)
    client.force_login(pilote)
    page = reverse("contrats:contrat", args=[contrat.pk])
    unfiltered = client.get(page).context
    filtered = client.get(page, {"etat": "en_cours"}).context
    choices = [c for c, _label in unfiltered["filtres"].fields["referent"].choices]
    assert choices == ["", "ASE", "Mme Martin (PMI)"]
    assert choices == [c for c, _label in filtered["filtres"].fields["referent"].choices]
    for key in ("nb_total", "etats", "nb_retard", "nb_impact"):
        assert unfiltered[key] == filtered[key]
    assert filtered["nb_resultats"] == 1 and unfiltered["nb_resultats"] == 3


def test_each_fiche_gets_the_badge_its_own_rendering_gives(db):
    contrat = ContratFactory()
    make_fiche(contrat, 1, etat="en_cours")
    make_fiche(contrat, 2, etat="en_cours", a_impact=True)
    make_fiche(contrat, 3, etat="realisee")
    make_fiche(contrat, 4, etat="en_cours")
    fiches = list(FicheAction.objects.filter(contrat=contrat).with_retard().order_by("numero"))
    etat_badges(fiches)
    for fiche in fiches:
        assert fiche.etat_badge == render_to_string(
            "contrats/includes/etat_badge.html", {"fiche": fiche}
        )
    assert fiches[0].etat_badge == fiches[3].etat_badge != fiches[1].etat_badge

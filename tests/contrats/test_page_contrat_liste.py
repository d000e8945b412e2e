"""Liste des fiches de la page du contrat : sans filtre, une seule lecture des fiches sert
la liste, les compteurs et les choix du filtre « Référent » ; les liens des fiches sont
construits sur un préfixe inversé une fois, les badges d'état rendus une fois par état."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse

from pilotage.contrats.models import FicheAction
from pilotage.contrats.views import etat_badges, fiches_url_prefix
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def test_the_fiche_url_prefix_followed_by_the_numero_is_the_fiche_address():
    contrat = SimpleNamespace(pk=7)
    for numero in (1, 10, 130):
        assert fiches_url_prefix(contrat) + f"{numero}/" == reverse(
            "contrats:fiche", args=[7, numero]
        )


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

"""Liste des fiches de la page du contrat : sans filtre, une seule lecture des fiches sert
la liste, les compteurs et les choix du filtre « Référent » ; les liens des fiches sont
construits sur une adresse inversée une fois (`contrats.adresses`), les badges d'état
rendus une fois par état."""

from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse

from pilotage.contrats.badges import etat_badges
from pilotage.contrats.models import FicheAction, Jalon
from pilotage.contrats.views import _objectifs_label
from pilotage.referentiel.models import Objectif
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


def test_the_full_page_says_the_same_lateness_as_the_annotation_and_the_fragment(client, db):
    """Page entière sans filtre : le retard vient des étapes en retard qu'elle lit ; le
    fragment et les filtres le lisent avec les fiches (`with_retard`)."""
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    etapes = {  # fiche : (état, date prévue, réalisée, retirée)
        1: ("en_cours", date(2020, 1, 1), False, False),  # en retard
        2: ("non_demarree", date(2020, 1, 1), False, False),  # en retard
        3: ("en_cours", date(2020, 1, 1), True, False),  # faite
        4: ("en_cours", date(2020, 1, 1), False, True),  # retirée
        5: ("realisee", date(2020, 1, 1), False, False),  # réalisée : jamais en retard
        6: ("en_cours", date(2099, 1, 1), False, False),  # à venir
    }
    for numero, (etat, prevue, faite, retiree) in etapes.items():
        fiche = make_fiche(contrat, numero, user=pilote, etat=etat)
        Jalon.objects.filter(fiche=fiche).delete()
        Jalon.objects.create(
            fiche=fiche,
            libelle=f"Étape {numero}",
            date_prevue=prevue,
            date_realisation=prevue if faite else None,
            retire_le=date(2021, 1, 1) if retiree else None,
        )
    client.force_login(pilote)
    page = reverse("contrats:contrat", args=[contrat.pk])
    attendu = {
        f.numero: f.en_retard for f in FicheAction.objects.filter(contrat=contrat).with_retard()
    }
    assert attendu == {1: True, 2: True, 3: False, 4: False, 5: False, 6: False}
    entiere = client.get(page)
    filtree = client.get(page, {"etat": ""})
    for context in (entiere.context, filtree.context):
        assert {f.numero: f.en_retard for f in context["fiches"]} == attendu
        assert context["nb_retard"] == 2
    fragment = client.get(page, headers={"HX-Request": "true"}).content.decode().strip()
    assert fragment.count("En retard") == 2
    assert fragment in entiere.content.decode()  # mêmes badges que le fragment


def test_a_fiche_lists_an_objective_of_another_generation_in_its_group(client, db):
    # Rien n'interdit de lier une fiche à l'objectif d'une autre génération : la liste,
    # qui prend les objectifs dans ceux de la génération du contrat, lit aussi celui-là.
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    fiche = make_fiche(contrat, 1, user=pilote, objectifs=(1,))
    make_fiche(contrat, 2, user=pilote, objectifs=())
    autre = Objectif.objects.exclude(generation=contrat.generation).select_related("mesure")[0]
    fiche.objectifs.add(autre)
    attendu = _objectifs_label(sorted(fiche.objectifs.all(), key=lambda o: o.sort_key))
    client.force_login(pilote)
    page = reverse("contrats:contrat", args=[contrat.pk])
    for params in ({}, {"objectif": 1}):
        groupes = client.get(page, params).context["groupes"]
        assert [(label, [f.numero for f in fiches]) for label, fiches in groupes][0] == (
            attendu,
            [1],
        )
    assert [label for label, _ in client.get(page).context["groupes"]] == [attendu, "Sans objectif"]

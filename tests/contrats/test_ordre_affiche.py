"""Ordre des fiches, réunions et rapports d'exécution (issue 15) : leurs Meta s'arrêtent à
`contrat_id`, sans jointure jusqu'au département et à la génération, même ordre à
l'intérieur d'un contrat ; une lecture qui mêle plusieurs contrats et montre leur ordre
(reconstruction de la recherche, administration) demande `ordre_affiche`, qui rend l'ordre
d'avant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotage.contrats.models import FicheAction, ordre_affiche
from pilotage.contrats.recherche import toutes_les_fiches
from pilotage.core.recherche import SORTES
from pilotage.rapports.models import RapportExecution
from pilotage.referentiel.models import Generation
from pilotage.reunions.models import Decision, Reunion
from pilotage.territoires.models import Departement
from tests.factories import (
    ContratFactory,
    DecisionFactory,
    RapportFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)

pytestmark = pytest.mark.django_db

#: L'ordre d'avant, écrit en entier : la Meta nommait le contrat, suivi jusqu'au
#: département et à la génération la plus récente.
CONTRAT = ["contrat__departement__code", "-contrat__generation__annee_debut"]
AVANT = {
    FicheAction: [*CONTRAT, "numero"],
    Reunion: [*CONTRAT, "date", "pk"],
    RapportExecution: [*CONTRAT, "-annee"],
    Decision: [
        "point__reunion__contrat__departement__code",
        "-point__reunion__contrat__generation__annee_debut",
        "point__reunion__date",
        "point__reunion__pk",
        "point__ordre",
        "point__fiche__numero",
        "created_at",
        "pk",
    ],
}


@pytest.fixture
def contrats_desordonnes():
    """Trois contrats créés dans le désordre (Creuse 2025-2027, Corrèze, Creuse 2020-2024) :
    l'ordre des clés n'est ni celui des départements ni celui des générations. Chacun a
    deux fiches créées dans le désordre, deux réunions, une décision par réunion et deux
    rapports."""
    generation_2020, _ = Generation.objects.get_or_create(
        code="2020-2024",
        defaults={"libelle": "Stratégie 2020-2024", "annee_debut": 2020, "annee_fin": 2024},
    )
    contrats = [
        ContratFactory(),
        ContratFactory(departement=Departement.objects.get(code="19")),
        ContratFactory(generation=generation_2020),
    ]
    now = timezone.now()
    for position, contrat in enumerate(contrats):
        pilote = UserFactory()
        grant(pilote, contrat)
        for numero in (2, 1):
            make_fiche(contrat, numero=numero, user=pilote, objectifs=())
        for days in (20 - position, -10 - position):
            reunion = make_reunion(contrat, pilote, now + datetime.timedelta(days=days))
            DecisionFactory(point=reunion.points.order_by("fiche__numero").last())
        for annee in (2024, 2025):
            RapportFactory(contrat=contrat, annee=annee)
    return contrats


@pytest.mark.parametrize("model", [FicheAction, Reunion, RapportExecution])
def test_les_fiches_reunions_et_rapports_d_un_contrat_se_lisent_sans_jointure(
    contrats_desordonnes, model
):
    contrat = contrats_desordonnes[0]
    with CaptureQueriesContext(connection) as ctx:
        lignes = list(model.objects.filter(contrat=contrat))
    assert "JOIN" not in ctx.captured_queries[0]["sql"]
    assert lignes == list(model.objects.filter(contrat=contrat).order_by(*AVANT[model]))


@pytest.mark.parametrize("model", [FicheAction, Reunion, RapportExecution, Decision])
def test_ordre_affiche_rend_l_ordre_d_avant_a_travers_les_contrats(contrats_desordonnes, model):
    attendu = list(model.objects.order_by(*AVANT[model]))
    assert list(model.objects.all()) != attendu
    assert list(model.objects.order_by(*ordre_affiche(model))) == attendu


@pytest.mark.parametrize(
    "sorte, model", [("fiche", FicheAction), ("rapport", RapportExecution), ("reunion", Decision)]
)
def test_la_reconstruction_de_l_index_lit_dans_l_ordre_affiche(contrats_desordonnes, sorte, model):
    """L'ordre d'inscription à l'index départage les résultats de même rang et même date."""
    lus = [objet for objet in SORTES[sorte].tous() if isinstance(objet, model)]
    assert lus == list(model.objects.order_by(*AVANT[model]))


def test_les_fiches_d_un_referent_se_lisent_dans_l_ordre_affiche(contrats_desordonnes):
    referent = UserFactory()
    for fiche in FicheAction.objects.all():
        fiche.referents.add(referent)
    lues = [f for f in toutes_les_fiches() if referent in f.referents.all()]
    assert lues == list(FicheAction.objects.order_by(*AVANT[FicheAction]))


@pytest.mark.parametrize(
    "url, model",
    [
        ("/admin/contrats/ficheaction/", FicheAction),
        ("/admin/reunions/reunion/", Reunion),
        ("/admin/reunions/decision/", Decision),
        ("/admin/rapports/rapportexecution/", RapportExecution),
    ],
)
def test_l_administration_liste_dans_l_ordre_d_avant(
    contrats_desordonnes, admin_client, url, model
):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(model.objects.order_by(*AVANT[model]))

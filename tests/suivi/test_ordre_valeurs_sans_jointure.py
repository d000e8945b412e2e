"""Ordre des valeurs des indicateurs (issue 15) : les Meta s'arrêtent à l'indicateur, sans
jointure jusqu'au contrat ; à travers plusieurs fiches, `dans_l_ordre_des_fiches` rend
l'ordre d'avant (contrat, numéro de la fiche, indicateur, période, saisie)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, make_fiche

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicateurs_desordonnes():
    """Des indicateurs dont l'ordre des clés n'est ni celui des contrats ni des numéros."""
    creuse = ContratFactory()
    correze = ContratFactory(departement=Departement.objects.get(code="19"))
    fiches = [make_fiche(creuse, numero=2), make_fiche(correze, numero=1)]
    fiches.append(make_fiche(creuse, numero=1))
    indicateurs = [fiche.indicateurs.get() for fiche in fiches]
    for annee in (2026, 2025):
        for indicateur in indicateurs:
            valeur_create(indicateur=indicateur, user=None, annee=annee, valeur=Decimal(annee))
    return indicateurs


def test_les_valeurs_d_un_indicateur_se_lisent_sans_jointure_par_periode(
    indicateurs_desordonnes,
):
    indicateur = indicateurs_desordonnes[0]
    with CaptureQueriesContext(connection) as ctx:
        annees = [v.annee for v in indicateur.valeurs.all()]
    assert "JOIN" not in ctx.captured_queries[0]["sql"]
    assert annees == [2025, 2026]


def test_dans_l_ordre_des_fiches_rend_l_ordre_d_avant_a_travers_les_contrats(
    indicateurs_desordonnes,
):
    """Avant : Meta « indicateur », suivie jusqu'à la fiche (dont les Meta mènent au contrat
    et au département), puis l'ordre des indicateurs de la fiche."""
    fiche = [  # la Meta de la fiche, écrite en entier : contrat, département, génération
        "indicateur__fiche__contrat__departement__code",
        "-indicateur__fiche__contrat__generation__annee_debut",
        "indicateur__fiche__numero",
    ]
    indicateur = [*fiche, "indicateur__nature", "indicateur__ordre", "indicateur"]
    avant = [*indicateur, "annee", "semestre", "created_at", "pk"]
    attendu = list(ValeurIndicateur.objects.order_by(*avant))
    assert list(ValeurIndicateur.objects.all()) != attendu
    assert list(ValeurIndicateur.objects.dans_l_ordre_des_fiches()) == attendu
    assert [
        (v.indicateur.fiche.contrat.departement.code, v.indicateur.fiche.numero) for v in attendu
    ][:3] == [("19", 1), ("19", 1), ("23", 1)]

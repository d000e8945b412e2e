"""Ordre des listes de la fiche et des habilitations (issue 15) : les Meta s'arrêtent à la
clé du parent (`fiche_id`, `contrat_id`), sans jointure jusqu'au contrat et au département ;
une lecture à travers plusieurs fiches demande `ordre_des_fiches`, qui rend l'ordre d'avant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.contrats.models import (
    Acteur,
    Financement,
    Habilitation,
    Indicateur,
    Jalon,
    PointVigilance,
    Signataire,
    ordre_des_fiches,
)
from pilotage.contrats.recherche import tous_les_indicateurs
from pilotage.referentiel.models import Generation
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

#: L'ordre d'avant, écrit en entier : « fiche » suivait la Meta de la fiche (contrat,
#: puis numéro) jusqu'au département et à la génération.
AVANT = [
    "fiche__contrat__departement__code",
    "-fiche__contrat__generation__annee_debut",
    "fiche__numero",
]


@pytest.fixture
def fiches_desordonnees():
    """Deux contrats (Creuse 2025-2027 et 2020-2024, Corrèze) dont les fiches sont créées
    dans le désordre : l'ordre des clés n'est pas celui des contrats ni des numéros."""
    generation_2020, _ = Generation.objects.get_or_create(
        code="2020-2024",
        defaults={"libelle": "Stratégie 2020-2024", "annee_debut": 2020, "annee_fin": 2024},
    )
    creuse_2020 = ContratFactory(generation=generation_2020)
    correze = ContratFactory(departement=Departement.objects.get(code="19"))
    creuse = ContratFactory()
    return [
        make_fiche(creuse, numero=2),
        make_fiche(correze, numero=1),
        make_fiche(creuse_2020, numero=1, objectifs=()),
        make_fiche(creuse, numero=1),
    ]


@pytest.mark.parametrize(
    "model, tie",
    [
        (Acteur, ["ordre", "pk"]),
        (Jalon, ["ordre", "pk"]),
        (Indicateur, ["nature", "ordre", "pk"]),
        (Financement, ["ordre", "pk"]),
        (PointVigilance, ["ordre", "pk"]),
    ],
)
def test_les_listes_d_une_fiche_se_lisent_sans_jointure_dans_le_meme_ordre(
    fiches_desordonnees, model, tie
):
    fiche = fiches_desordonnees[0]
    with CaptureQueriesContext(connection) as ctx:
        lignes = list(model.objects.filter(fiche=fiche))
    assert "JOIN" not in ctx.captured_queries[0]["sql"]
    assert lignes == list(model.objects.filter(fiche=fiche).order_by("fiche", *tie))


@pytest.mark.parametrize(
    "model, tie", [(Acteur, ["ordre", "pk"]), (Indicateur, ["nature", "ordre", "pk"])]
)
def test_ordre_des_fiches_rend_l_ordre_d_avant_a_travers_les_contrats(
    fiches_desordonnees, model, tie
):
    """Avant : Meta « fiche », suivie jusqu'au département et à la génération."""
    attendu = list(model.objects.order_by(*AVANT, *tie))
    assert [ligne.fiche_id for ligne in model.objects.all()] != [
        ligne.fiche_id for ligne in attendu
    ]
    assert list(model.objects.order_by(*ordre_des_fiches(), *tie)) == attendu


def test_la_reconstruction_de_l_index_lit_les_indicateurs_dans_l_ordre_des_fiches(
    fiches_desordonnees,
):
    """L'ordre d'inscription à l'index départage les résultats de même rang et même date."""
    attendu = list(Indicateur.objects.order_by(*AVANT, "nature", "ordre", "pk"))
    assert list(tous_les_indicateurs()) == attendu


def test_les_habilitations_et_signataires_d_un_contrat_se_lisent_sans_jointure_au_departement(
    fiches_desordonnees,
):
    contrat = fiches_desordonnees[0].contrat
    for nom in ("Zoé", "Anne"):
        grant(UserFactory(last_name=nom), contrat, Habilitation.Role.LECTEUR)
    grant(UserFactory(last_name="Marc"), contrat)
    Signataire.objects.create(contrat=contrat, fonction="Préfet", ordre=1)
    Signataire.objects.create(contrat=contrat, fonction="Président", ordre=0)
    with CaptureQueriesContext(connection) as ctx:
        habilitations = list(contrat.habilitations.all())
        signataires = list(contrat.signataires.all())
    # La personne reste jointe : les habilitations d'un rôle se lisent par nom.
    assert "departement" not in ctx.captured_queries[0]["sql"]
    assert "JOIN" not in ctx.captured_queries[1]["sql"]
    assert habilitations == list(contrat.habilitations.order_by("contrat", "role", "user"))
    assert [h.user.last_name for h in habilitations if h.role == Habilitation.Role.LECTEUR] == [
        "Anne",
        "Zoé",
    ]
    assert [s.fonction for s in signataires] == ["Président", "Préfet"]

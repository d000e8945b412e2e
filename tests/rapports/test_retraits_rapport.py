"""Rapport d'exécution et lignes retirées du contrat : un indicateur retiré reste au
rapport avec ses valeurs, marqué « (retiré le …) » (page, documents, JSON) ; une étape
retirée n'est plus attendue et ne met pas la fiche en retard."""

import datetime
from decimal import Decimal

import pytest

from pilotage.rapports.content import rapport_content
from pilotage.rapports.content.fige import contenu_fige
from pilotage.rapports.exports.plan import fiche_rubriques
from pilotage.rapports.formats import rapport_json
from pilotage.suivi.services import valeur_create
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

DATE = datetime.date(2026, 12, 2)
RETIRE = datetime.date(2026, 9, 15)


@pytest.fixture
def fiche():
    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    fiche = make_fiche(contrat, numero=1, etat="en_cours")
    indicateur = fiche.indicateurs.get()
    valeur_create(indicateur=indicateur, user=pilote, annee=2026, valeur=Decimal("1234"))
    fiche.indicateurs.update(retire_le=RETIRE)
    return fiche


def test_a_withdrawn_indicator_stays_in_the_report_with_its_value_and_is_marked(fiche):
    rapport = rapport_content(fiche.contrat, 2026, date=DATE)
    [ligne] = rapport.fiche("1").indicateurs
    assert ligne.valeur == Decimal("1234")
    assert ligne.retire_le == RETIRE
    assert ligne.libelle_affiche == "Nombre d'EPP réalisés (retiré le 15/09/2026)"
    [rubrique] = [
        r for r in fiche_rubriques(rapport.fiche("1"), 2026) if r.intitule == "Indicateurs"
    ]
    assert rubrique.tableau.lignes[0][0].startswith("Nombre d'EPP réalisés (retiré le 15/09/2026)")
    assert rubrique.tableau.lignes[0][1] == "1\u202f234"
    [item] = rapport_json(rapport)["fiches"][0]["indicateurs"]
    assert item["retire_le"] == "2026-09-15"


def test_a_withdrawn_partner_is_marked_in_the_report(fiche):
    fiche.acteurs.filter(nom="CH").update(retire_le=RETIRE)
    rapport = rapport_content(fiche.contrat, 2026, date=DATE)
    assert rapport.fiche("1").partenaires == ["CH (retiré le 15/09/2026)", "ARS"]


def test_the_frozen_version_keeps_the_withdrawal(fiche):
    from pilotage.rapports.selectors import _jsonable

    rapport = rapport_content(fiche.contrat, 2026, date=DATE)
    [ligne] = contenu_fige(_jsonable(rapport)).fiche("1").indicateurs
    assert ligne.retire_le == RETIRE
    assert ligne.libelle_affiche.endswith("(retiré le 15/09/2026)")


def test_a_withdrawn_step_does_not_make_the_fiche_late(fiche):
    fiche.jalons.update(date_prevue=datetime.date(2026, 6, 30))
    assert rapport_content(fiche.contrat, 2026, date=DATE).recapitulatif.fiches_en_retard == ["1"]
    fiche.jalons.update(retire_le=RETIRE)
    rapport = rapport_content(fiche.contrat, 2026, date=DATE)
    assert rapport.recapitulatif.fiches_en_retard == []
    assert not rapport.fiche("1").en_retard


def test_the_report_page_shows_the_withdrawal_badge(client, fiche):
    from pilotage.rapports import services
    from pilotage.territoires.models import Institution
    from tests.factories import make_pilote_institution

    cd = make_pilote_institution(fiche.contrat, Institution.Type.CD, "Conseil départemental")
    services.rapport_create(contrat=fiche.contrat, annee=2026, user=cd)
    client.force_login(cd)
    html = client.get(f"/contrats/{fiche.contrat_id}/rapports/2026/").content.decode()
    assert "Retiré le 15/09/2026" in html
    assert "1\u202f234" in html

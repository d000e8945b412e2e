"""Formulaire de la fiche et `fiche_update` : une ligne qui porte un suivi (valeurs, relevé
d'un indicateur, date de réalisation d'une étape) n'est jamais supprimée ; « Supprimer » la
marque retirée du jour, l'historique le dit, et son suivi reste."""

import datetime
from decimal import Decimal

import pytest

from pilotage.contrats.models import FicheAction, Indicateur, Jalon, today
from pilotage.contrats.services import fiche_update
from pilotage.core.models import Revision
from pilotage.suivi.models import Releve
from pilotage.suivi.services import releve_create, valeur_create
from tests.contrats.helpers import existing_rows, fiche_post_data
from tests.htmx import parse_page


def _without(fiche, relation, pk):
    return [row for row in existing_rows(fiche, relation) if row["id"] != pk]


def _add_qualitatif(fiche, user):
    rows = [*existing_rows(fiche, "indicateurs"), {"nature": "qualitatif", "libelle": "Ressenti"}]
    fiche = fiche_update(fiche=fiche, user=user, expected_version=fiche.version, indicateurs=rows)
    return fiche, fiche.indicateurs.get(nature="qualitatif")


def test_removing_an_indicator_that_has_values_marks_it_withdrawn_and_keeps_the_values(
    fiche, pilote
):
    indicateur = fiche.indicateurs.get()
    valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal("4"))
    fiche_update(
        fiche=fiche,
        user=pilote,
        expected_version=fiche.version,
        indicateurs=_without(fiche, "indicateurs", indicateur.pk),
    )
    indicateur.refresh_from_db()
    assert indicateur.retire_le == today()
    assert indicateur.valeurs.count() == 1
    [change] = Revision.objects.for_object(fiche).first().changes.filter(field="indicateurs")
    assert change.new_value == f"Nombre d'EPP réalisés [retiré le {today():%d/%m/%Y}]"


def test_removing_an_indicator_without_follow_up_data_still_deletes_it(fiche, pilote):
    indicateur = fiche.indicateurs.get()
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, indicateurs=[])
    assert not Indicateur.objects.filter(pk=indicateur.pk).exists()


def test_a_realised_milestone_is_withdrawn_not_deleted_and_is_never_late(fiche, pilote):
    rows = existing_rows(fiche, "jalons")
    rows[0].update(
        date_prevue=datetime.date(2025, 3, 1), date_realisation=datetime.date(2025, 3, 2)
    )
    fiche = fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, jalons=rows)
    jalon = fiche.jalons.get()
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, jalons=[])
    jalon.refresh_from_db()
    assert jalon.retire_le == today()
    assert not jalon.en_retard
    assert not Jalon.objects.filter(pk=jalon.pk, date_realisation=None).exists()


def test_deleting_an_indicator_with_a_releve_in_the_form_withdraws_it_instead_of_failing(
    client, fiche, pilote
):
    fiche, qualitatif = _add_qualitatif(fiche, pilote)
    releve_create(
        fiche=fiche,
        user=pilote,
        indicateur=qualitatif,
        date_observation=datetime.date(2025, 6, 1),
        situation="Entretien",
        questions="Questions de test",
        faits="Faits de test, inventés",
    )
    client.force_login(pilote)
    data = fiche_post_data(
        fiche, lists={"indicateurs": _without(fiche, "indicateurs", qualitatif.pk)}
    )
    url = f"/contrats/{fiche.contrat_id}/fiches/{fiche.numero}/modifier/"
    response = client.post(url, data)
    assert response.status_code == 302
    qualitatif.refresh_from_db()
    assert qualitatif.retire_le == today()
    assert Releve.objects.filter(indicateur=qualitatif).count() == 1
    page = parse_page(client.get(response["Location"]))
    [item] = [li for li in page.xpath("//li") if li.text_content().startswith("Ressenti")]
    assert item.xpath('string(.//*[contains(@class, "retrait")])').strip() == (
        f"Retiré le {today():%d/%m/%Y}"
    )


@pytest.mark.parametrize("relation", ["financements", "points_vigilance"])
def test_other_lists_are_deleted_as_before(fiche, pilote, relation):
    fiche = fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, **{relation: []})
    assert getattr(FicheAction.objects.get(pk=fiche.pk), relation).count() == 0

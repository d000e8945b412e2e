from tests.factories import ContratFactory, make_fiche


def test_a_fiche_created_by_the_service_has_its_lists_and_one_history_entry(db):
    contrat = ContratFactory()
    fiche = make_fiche(contrat)
    assert fiche.financements.count() == 2
    assert fiche.version == 1
    from pilotage.core.models import Revision

    assert Revision.objects.for_object(fiche).count() == 1

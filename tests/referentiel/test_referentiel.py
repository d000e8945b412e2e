import pytest

from pilotage.core.models import Revision
from pilotage.referentiel.models import A_COMPLETER, Generation, IndicateurNational, Objectif
from tests.factories import UserFactory


def test_the_2025_2027_framework_has_14_numbered_objectives(generation):
    assert list(generation.objectifs.values_list("numero", flat=True)) == list(range(1, 15))


def test_the_two_commitments_are_loaded(generation):
    assert generation.engagements.count() == 2


def test_only_objective_7_has_a_title_from_the_sources_others_are_to_complete(generation):
    titled = generation.objectifs.exclude(titre=A_COMPLETER)
    assert list(titled.values_list("numero", flat=True)) == [7]
    assert titled.get().titre.startswith("Accroître le recours aux mesures de protection")


@pytest.mark.parametrize(
    ("numero", "statut", "ondam"),
    [
        (1, "obligatoire", False),
        (5, "facultatif", False),
        (9, "a_completer", False),
        (13, "obligatoire", True),
    ],
)
def test_objective_flags_follow_the_published_headers(generation, numero, statut, ondam):
    objectif = generation.objectifs.get(numero=numero)
    assert (objectif.statut, objectif.ondam) == (statut, ondam)


def test_objective_7_has_example_quantitative_indicators_and_qualitative_questions(generation):
    objectif = generation.objectifs.get(numero=7)
    natures = set(objectif.exemples.values_list("nature", flat=True))
    assert natures == {"quantitatif", "qualitatif"}


def test_national_indicators_are_loaded_and_linked_to_objectives(generation):
    besm = IndicateurNational.objects.get(generation=generation, libelle__contains="BESM")
    assert list(besm.objectifs.values_list("numero", flat=True)) == [3]


def test_previous_generation_exists(db):
    assert Generation.objects.filter(code="2020-2024").exists()


def test_any_user_can_read_the_referentiel(client, db):
    client.force_login(UserFactory())
    response = client.get("/referentiel/")
    assert response.status_code == 200
    assert "Intitulé à compléter" in response.content.decode()


def test_local_user_cannot_edit_an_objective(client, generation):
    client.force_login(UserFactory())
    objectif = generation.objectifs.get(numero=9)
    assert client.get(f"/referentiel/objectifs/{objectif.pk}/modifier/").status_code == 403
    response = client.post(
        f"/referentiel/objectifs/{objectif.pk}/modifier/",
        {"titre": "Titre inventé", "statut": "facultatif"},
    )
    assert response.status_code == 403
    objectif.refresh_from_db()
    assert objectif.titre == A_COMPLETER


def test_national_staff_completes_a_title_and_it_is_in_the_history(client, generation):
    national = UserFactory(perimetre="national")
    client.force_login(national)
    objectif = generation.objectifs.get(numero=9)
    response = client.post(
        f"/referentiel/objectifs/{objectif.pk}/modifier/",
        {"titre": "Intitulé officiel publié", "statut": "facultatif"},
    )
    assert response.status_code == 302
    objectif.refresh_from_db()
    assert objectif.titre == "Intitulé officiel publié"
    change = Revision.objects.for_object(objectif).get().changes.get(field="titre")
    assert (change.old_value, change.new_value) == (A_COMPLETER, "Intitulé officiel publié")


def test_reloading_the_framework_never_overwrites_an_edited_title(generation):
    from pilotage.referentiel.services import referentiel_load

    Objectif.objects.filter(generation=generation, numero=9).update(titre="Complété")
    referentiel_load()
    assert generation.objectifs.get(numero=9).titre == "Complété"
    assert generation.objectifs.count() == 14

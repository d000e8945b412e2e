"""Rubriques rédigées d'une fiche plafonnées par le service lui-même (`core/free_text.py`,
20 000 caractères) : un appelant sans formulaire (import, décision de réunion,
démonstration) ne peut pas y mettre 2 Mo, qui atteindraient ensuite les PDF."""

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats import services
from pilotage.contrats.models import FicheAction
from tests.factories import ContratFactory, make_fiche

LIMIT = 20_000


@pytest.fixture
def fiche(db):
    return make_fiche(ContratFactory())


@pytest.mark.parametrize("rubrique", services.FICHE_TEXTS)
def test_the_service_refuses_a_rubrique_over_the_limit_and_keeps_the_fiche(fiche, rubrique):
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=fiche.version,
            fields={rubrique: "x" * (2 * 1024 * 1024)},
        )
    assert error.value.message_dict[rubrique] == [
        "Ce texte dépasse 20\N{NO-BREAK SPACE}000 caractères (il en compte "
        "2\N{NO-BREAK SPACE}097\N{NO-BREAK SPACE}152) : raccourcissez-le."
    ]
    fiche.refresh_from_db()
    assert len(getattr(fiche, rubrique)) < LIMIT
    assert fiche.version == 1


def test_the_service_accepts_a_rubrique_at_the_limit(fiche):
    saved = services.fiche_update(
        fiche=fiche, user=None, expected_version=fiche.version, fields={"constat": "x" * LIMIT}
    )
    assert len(FicheAction.objects.get(pk=saved.pk).constat) == LIMIT


def test_fiche_creation_is_capped_too(db):
    with pytest.raises(ValidationError, match="dépasse 20"):
        make_fiche(ContratFactory(), description="x" * (LIMIT + 1))
    assert not FicheAction.objects.exists()

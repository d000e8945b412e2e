"""Le circuit d'un relevé est décrit une fois (`RELEVE_TRANSITIONS`) : la page en tire ses
boutons, les services refusent une étape que le statut ne permet pas."""

import pytest
from django.core.exceptions import PermissionDenied

from pilotage.suivi import services
from pilotage.suivi.models import RELEVE_TRANSITIONS, Releve


@pytest.mark.parametrize(
    ("statut", "expected"),
    [
        (Releve.Statut.BROUILLON, ["relire"]),
        (Releve.Statut.RELU, ["valider", "renvoyer"]),
        (Releve.Statut.VALIDE, ["partager", "renvoyer"]),
        (Releve.Statut.PARTAGE, []),
    ],
)
def test_each_status_offers_the_next_steps_of_the_circuit(statut, expected):
    assert [code for code, _t in Releve(statut=statut).etapes_du_statut] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(RELEVE_TRANSITIONS))
def test_a_step_the_status_does_not_allow_is_refused_with_its_message(code):
    transition = RELEVE_TRANSITIONS[code]
    wrong = next(s for s in Releve.Statut.values if s not in transition.depuis)
    releve = Releve(statut=wrong)
    action = getattr(services, f"releve_{code}")
    kwargs = {"releve": releve, "user": None}
    if code != "partager":
        kwargs["commentaire"] = "Commentaire"
    with pytest.raises(PermissionDenied, match=transition.refus):
        action(**kwargs)

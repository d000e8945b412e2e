"""Champs répétés de la page de la réunion : le rendu unique décliné par ligne est le
même, octet pour octet, que le rendu champ par champ des gabarits DSFR."""

from types import SimpleNamespace

import pytest

from pilotage.reunions.forms import DureesForm, ParticipationStatutForm
from pilotage.reunions.models import Participation
from pilotage.reunions.views.planning.champs import durees_champs, statut_champs


def _point(pk, numero, duree):
    return SimpleNamespace(pk=pk, fiche=SimpleNamespace(numero_affiche=numero), duree_minutes=duree)


def test_temps_prevus_declines_identiques_au_rendu_champ_par_champ():
    points = [
        _point(7, "1", None),
        _point(12, "13-1", 45),
        _point(301, '<b>"&', 240),
        _point(4, "2", 1),
    ]
    form = DureesForm(points=points)
    champs = durees_champs(points)
    for point in points:
        assert str(champs[point.pk].as_field_group()) == str(
            form[f"duree_{point.pk}"].as_field_group()
        )


@pytest.mark.parametrize("statut", Participation.Statut.values)
def test_statut_decline_identique_au_rendu_champ_par_champ(statut):
    participations = [
        SimpleNamespace(pk=pk, statut=statut, libelle=libelle)
        for pk, libelle in ((3, "Claire Pilote"), (41, "Jean O'Brien <b>&"), (592, "Statut"))
    ]
    formulaires = statut_champs(participations)
    for participation in participations:
        attendu = ParticipationStatutForm(
            initial={"statut": statut},
            prefix=f"p{participation.pk}",
            libelle=participation.libelle,
        )["statut"].as_field_group()
        rendu = str(formulaires[participation.pk].statut.as_field_group())
        assert rendu == str(attendu)
        assert rendu.count(" selected>") == 1

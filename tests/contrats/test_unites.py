"""Unités et sens des indicateurs : une seule table, unité devinée du libellé, unité
« autre » précisée, écart à la cible décrit dans l'unité et selon le sens."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats.forms import IndicateurForm
from pilotage.contrats.models import Indicateur
from pilotage.referentiel.models import IndicateurNational
from pilotage.referentiel.unites import (
    Sens,
    Unite,
    progression,
    unite_fields,
    unite_from_libelle,
    unite_from_text,
)
from tests.factories import ContratFactory, make_fiche


@pytest.mark.parametrize(
    ("libelle", "unite"),
    [
        ("Pourcentage de femmes ayant bénéficié de l'EPNP par la PMI", "pourcentage"),
        ("Taux d'actions éducatives en faveur de jeunes majeurs", "pourcentage"),
        ("Part des AED et AEMO dans l'ensemble des mesures", "pourcentage"),
        ("Couverture vaccinale (%)", "pourcentage"),
        # Le premier mot d'unité l'emporte : un nombre accompagné de son taux reste un nombre.
        ("Nombre de femmes ayant bénéficié d'un EPP : 51 pour 747 soit 6,8%", "nombre"),
        ("Nombre d'IP évaluées 2024 : 257 soit 43 %", "nombre"),
        ("Nombre d'enfants ayant bénéficié d'un BESM", "nombre"),
        ("Nombre de participants aux séances APP PANJO", "nombre"),  # « part » n'est pas un mot
        ("Nombre d’ETP dédiés en CRIP", "etp"),
        ("Nombre d'heures d'intervention TISF/ an", "heures"),
        ("Nombre de jours d'immersion", "jours"),
        ("Montant des aides versées", "euros"),
        ("Conventions conclues", "nombre"),  # sans indice : un nombre, jamais un taux
    ],
)
def test_the_unit_is_guessed_from_the_first_word_that_says_it(libelle, unite):
    assert unite_from_libelle(libelle) == unite


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ("pourcentage", "")),
        ("taux", ("pourcentage", "")),
        ("€", ("euros", "")),
        ("Euros", ("euros", "")),
        ("jours", ("jours", "")),
        ("ETP", ("etp", "")),
        ("", ("nombre", "")),
        ("enfants", ("autre", "enfants")),  # une écriture inconnue est gardée
    ],
)
def test_an_old_free_text_unit_maps_to_a_choice(text, expected):
    assert unite_from_text(text) == expected


def test_the_unit_table_describes_every_choice_and_only_the_percentage_is_a_rate():
    assert [u for u in Unite if u.est_taux] == [Unite.POURCENTAGE]
    assert {u: u.symbole for u in Unite if u.symbole} == {
        Unite.POURCENTAGE: "%",
        Unite.EUROS: "€",
        Unite.JOURS: "jours",
        Unite.HEURES: "h",
        Unite.ETP: "ETP",
    }
    assert all(u.axe for u in Unite)


def test_national_indicators_have_the_unit_their_label_says(db):
    units = dict(IndicateurNational.objects.values_list("libelle", "unite"))
    assert units["Nombre d'enfants ayant bénéficié d'un BESM"] == "nombre"
    assert units["Pourcentage de femmes ayant bénéficié de l'EPNP par la PMI"] == "pourcentage"
    assert units["Nombre d'ETP dédiés en CRIP"] == "etp"


def test_a_new_indicator_linked_to_a_national_one_takes_its_unit_and_direction(db):
    national = IndicateurNational.objects.filter(unite="pourcentage").first()
    national.sens = Sens.HAUSSE
    assert unite_fields("Nombre de quelque chose", national) == {
        "unite": "pourcentage",
        "unite_autre": "",
        "sens": "hausse",
    }


@pytest.fixture
def indicateur(db):
    return make_fiche(ContratFactory()).indicateurs.get()


def test_another_unit_must_be_named_and_a_listed_unit_keeps_no_free_text(indicateur):
    indicateur.unite = Unite.AUTRE
    with pytest.raises(ValidationError) as exc:
        indicateur.full_clean()
    assert "unite_autre" in exc.value.message_dict
    indicateur.unite_autre = "places"
    indicateur.full_clean()
    assert indicateur.formater(Decimal(12)) == "12 places"
    indicateur.unite = Unite.EUROS
    indicateur.full_clean()
    assert indicateur.unite_autre == ""
    assert (
        indicateur.formater(Decimal("1200.50")) == "1\u202f200,5 €"
    )  # milliers : espace fine insécable


def test_the_indicator_form_offers_the_units_and_directions_and_refuses_an_unknown_unit(
    indicateur,
):
    form = IndicateurForm(instance=indicateur)
    assert [c[0] for c in form.fields["unite"].choices] == Unite.values
    assert [c[0] for c in form.fields["sens"].choices] == Sens.values
    data = {
        "nature": "quantitatif",
        "libelle": "Taux de couverture",
        "unite": "pourcentage",
        "sens": "hausse",
        "cible": "80",
    }
    form = IndicateurForm(data, instance=Indicateur(fiche=indicateur.fiche))
    assert form.is_valid(), form.errors
    form = IndicateurForm({**data, "unite": "kg"}, instance=Indicateur(fiche=indicateur.fiche))
    assert not form.is_valid()
    assert "unite" in form.errors
    form = IndicateurForm({**data, "unite": "autre"}, instance=Indicateur(fiche=indicateur.fiche))
    assert not form.is_valid()
    assert form.errors["unite_autre"] == ["Précisez l'unité (par exemple « places »)."]


def test_the_fiche_history_text_gives_unit_direction_and_target_in_its_unit(indicateur):
    indicateur.unite, indicateur.sens, indicateur.cible = "pourcentage", "baisse", Decimal(20)
    assert indicateur.as_text() == (
        "Nombre d'EPP réalisés [unité : Pourcentage (%)] [objectif : baisser] cible 20 %"
    )


@pytest.mark.parametrize(
    ("value", "cible", "unite", "sens", "text"),
    [
        (300, 450, "nombre", "hausse", "67 % de la cible (objectif : augmenter)"),
        (787, 450, "nombre", "hausse", "Cible atteinte : 175 % de la cible (objectif : augmenter)"),
        (300, 450, "nombre", "aucun", "67 % de la cible"),
        (30, 20, "jours", "baisse", "10 jours au-dessus de la cible (objectif : baisser)"),
        (15, 20, "jours", "baisse", "Cible atteinte : 75 % de la cible (objectif : baisser)"),
        # Un taux se compare en points, pas en pourcentage de sa cible.
        (
            "43.5",
            50,
            "pourcentage",
            "hausse",
            "6,5 points en dessous de la cible (objectif : augmenter)",
        ),
        ("53.5", 50, "pourcentage", "aucun", "Écart à la cible : +3,5 points"),
        (55, 50, "pourcentage", "hausse", "Cible atteinte (objectif : augmenter)"),
    ],
)
def test_progress_towards_the_target_is_told_in_the_unit_and_direction(
    value, cible, unite, sens, text
):
    symbole = Unite(unite).symbole
    assert (
        progression(Decimal(value), Decimal(cible), unite=unite, sens=sens, symbole=symbole) == text
    )


def test_no_target_no_progress_text():
    assert progression(Decimal(3), None, unite="nombre", sens="hausse") == ""

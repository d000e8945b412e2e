"""Nombres à la française (`core.formats.nombre`), la règle unique des valeurs montrées :
milliers séparés par une espace fine insécable (U+202F), virgule décimale ; les tableurs
et le JSON gardent des nombres."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from pilotage.core.formats import euros, nombre
from pilotage.referentiel.unites import number_text

FINE = "\u202f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234"), f"1{FINE}234"),
        (Decimal("1234567.5"), f"1{FINE}234{FINE}567,5"),
        (Decimal("6.80"), "6,8"),
        (Decimal("-12500.25"), f"-12{FINE}500,25"),
        (Decimal("999"), "999"),
        (Decimal("0.000"), "0"),
        (Decimal("1E+3"), f"1{FINE}000"),
        (12.5, "12,5"),
        (1234, f"1{FINE}234"),
        (None, ""),
    ],
)
def test_a_number_is_written_with_narrow_no_break_thousands_and_a_decimal_comma(value, expected):
    assert nombre(value) == expected


def test_a_fixed_number_of_decimals_can_be_asked():
    assert nombre(Decimal("1234.5"), decimales=2) == f"1{FINE}234,50"
    assert nombre(Decimal("1234.5"), decimales=0) == f"1{FINE}234"


def test_every_indicator_value_display_goes_through_the_same_rule():
    assert number_text(Decimal("1234")) == f"1{FINE}234"
    assert euros(Decimal("14574")) == f"14{FINE}574\u00a0€"


def test_the_template_filter_formats_a_raw_value():
    rendered = Template("{% load pilotage %}{{ v|nombre }}").render(
        Context({"v": Decimal("25000.0")})
    )
    assert rendered == f"25{FINE}000"


def test_an_indicator_value_on_the_suivi_page_has_thousands_separators(db):
    from pilotage.contrats.models import Indicateur
    from pilotage.referentiel.unites import Unite
    from pilotage.suivi.models import ValeurIndicateur

    indicateur = Indicateur(nature="quantitatif", libelle="Mesures", unite=Unite.NOMBRE)
    valeur = ValeurIndicateur(indicateur=indicateur, annee=2025, valeur=Decimal("1234"))
    assert valeur.affichage == f"1{FINE}234"
    indicateur.unite = Unite.EUROS
    assert valeur.affichage == f"1{FINE}234 €"

"""Tours du banc de charge (bench/charge_lib/tours.py) : chaque page rapportée aux
planchers mesurés autour d'elle dans son tour, médiane et écart sur les tours."""

import math

import pytest

from bench.charge_lib import tours

PLANCHER = "Plancher"


def _ligne(debit, erreurs=0, p50="10", requetes=100):
    return {
        "Requests/s": str(debit),
        "50%": p50,
        "95%": "20",
        "99%": "30",
        "Failure Count": str(erreurs),
        "Request Count": str(requetes),
    }


def test_each_group_of_pages_is_framed_by_a_floor_measure():
    assert tours.programme(["a", "b", "c"], PLANCHER, 2) == [
        PLANCHER, "a", "b", PLANCHER, "c", PLANCHER,
    ]  # fmt: skip
    assert tours.programme(["a", "b"], PLANCHER, 1) == [PLANCHER, "a", PLANCHER, "b", PLANCHER]
    assert tours.programme([], PLANCHER) == [PLANCHER]


def test_a_page_is_compared_to_the_mean_of_the_floors_around_it():
    tour = [(PLANCHER, 200.0), ("a", 50.0), ("b", 25.0), (PLANCHER, 100.0), ("c", 20.0)]

    rapports = tours.rapports_du_tour(tour, PLANCHER)

    # a et b entre les planchers 200 et 100 (moyenne 150) ; c n'a que le plancher d'avant.
    assert rapports == {"a": 3.0, "b": 6.0, "c": 5.0}


def test_a_page_that_served_nothing_has_an_infinite_ratio():
    assert tours.rapports_du_tour([(PLANCHER, 200.0), ("a", 0.0)], PLANCHER) == {"a": math.inf}


def test_a_round_without_floor_is_refused():
    with pytest.raises(ValueError, match="plancher"):
        tours.rapports_du_tour([("a", 10.0)], PLANCHER)


def test_each_ratio_is_taken_in_its_own_round_then_the_median_is_kept():
    # Le second tour est deux fois plus lent en tout (machine chargée) : même rapport ;
    # le troisième est dérangé pendant la page seulement.
    mesures = [
        [(PLANCHER, _ligne(200)), ("a", _ligne(50, p50="12")), (PLANCHER, _ligne(200))],
        [(PLANCHER, _ligne(100)), ("a", _ligne(25, p50="30")), (PLANCHER, _ligne(100))],
        [(PLANCHER, _ligne(200)), ("a", _ligne(20, erreurs=1, p50="40")), (PLANCHER, _ligne(220))],
    ]

    resume = tours.synthese(mesures, PLANCHER)

    page = resume["a"]
    assert (page.rapport, page.rapport_min, page.rapport_max) == (4.0, 4.0, 10.5)
    assert (page.debit, page.p50, page.erreurs, page.requetes, page.charges) == (
        25.0, 30.0, 1, 300, 3,
    )  # fmt: skip
    plancher = resume[PLANCHER]
    assert (plancher.rapport, plancher.debit, plancher.charges) == (1.0, 200.0, 6)


def test_a_page_that_served_nothing_shows_no_percentile():
    mesures = [[(PLANCHER, _ligne(200)), ("a", _ligne(0, p50="N/A"))]]

    page = tours.synthese(mesures, PLANCHER)["a"]

    assert math.isnan(page.p50)
    assert page.rapport == math.inf

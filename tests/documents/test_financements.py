from decimal import Decimal

import pytest

from pilotage.documents.financements import (
    format_line,
    parse_labelled_line,
    parse_line,
    parse_text,
    split_lines,
)
from pilotage.documents.montants import find_amounts, leading_amount


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Financement Etat : 14 574 €", ("etat", Decimal("14574"), False, "")),
        ("Financement État : 1 200 €", ("etat", Decimal("1200"), False, "")),
        ("Financement CD : 14 574€ (valorisation)", ("cd", Decimal("14574"), True, "valorisation")),
        (
            "Financement CD 7 618 € (6 618 € valorisation + 1 000 € d'achat de matériel)",
            ("cd", Decimal("7618"), True, "6 618 € valorisation + 1 000 € d'achat de matériel"),
        ),
        (
            "Financement conseil départemental (CD) : 22 000 € (intervenantes PMI)",
            ("cd", Decimal("22000"), False, "intervenantes PMI"),
        ),
        (
            "Financements autres : enveloppe de 57 000€ (CAF) – application d'un prix forfaitaire par mesure",
            (
                "caf",
                Decimal("57000"),
                False,
                "enveloppe de 57 000€ (CAF) – application d'un prix forfaitaire par mesure",
            ),
        ),
        (
            "Financement Etat : 40 vacations par an à 200€ soit 8 000€",
            ("etat", Decimal("8000"), False, "40 vacations par an à 200€ soit 8 000€"),
        ),
        ("Financement 100% ONDAM", ("ondam", None, False, "Financement 100% ONDAM")),
        (
            "Financements autres : location de 2 appartements coût 500€/appt x 12 x2 =12000€",
            (
                "autre",
                Decimal("12000"),
                False,
                "location de 2 appartements coût 500€/appt x 12 x2 =12000€",
            ),
        ),
    ],
)
def test_published_funding_lines_are_read(line, expected):
    row = parse_line(line)
    assert (row["financeur"], row["montant"], row["valorisation"], row["note"]) == expected


def test_empty_other_funding_is_ignored():
    assert parse_line("Financements autres :") is None
    assert parse_line("Rien à voir") is None


def test_a_juxtaposed_cell_is_split_into_lines():
    text = (
        "Financement Etat : 14 574 € Financement CD : 14 574€ (valorisation) Financements autres :"
    )
    assert split_lines(text) == [
        "Financement Etat : 14 574 €",
        "Financement CD : 14 574€ (valorisation)",
        "Financements autres :",
    ]
    assert [r["financeur"] for r in parse_text(text)] == ["etat", "cd"]


@pytest.mark.parametrize(
    "row",
    [
        {"financeur": "etat", "montant": Decimal("14574"), "valorisation": False, "note": ""},
        {
            "financeur": "cd",
            "montant": Decimal("14574"),
            "valorisation": True,
            "note": "valorisation",
        },
        {
            "financeur": "cd",
            "montant": Decimal("22191"),
            "valorisation": True,
            "note": "valorisation des salaires",
        },
        {"financeur": "cd", "montant": Decimal("5000"), "valorisation": True, "note": "matériel"},
        {
            "financeur": "ondam",
            "montant": None,
            "valorisation": False,
            "note": "Financement 100% ONDAM",
        },
        {
            "financeur": "caf",
            "montant": Decimal("57000"),
            "valorisation": False,
            "note": "enveloppe de 57 000€ (CAF) – application",
        },
        {
            "financeur": "autre",
            "libelle": "Location de 2 appartements",
            "montant": Decimal("12000"),
            "valorisation": False,
            "note": "500€/appt x 12 x2",
        },
        {
            "financeur": "ars_fir",
            "montant": Decimal("1234.5"),
            "annee": 2026,
            "valorisation": False,
            "note": "",
        },
        {
            "financeur": "etat",
            "montant": Decimal("8000"),
            "valorisation": False,
            "note": "40 vacations par an à 200€",
        },
        {
            # Montant retiré par une décision de réunion (transfert vers une autre fiche).
            "financeur": "etat",
            "montant": Decimal("-4000"),
            "annee": 2026,
            "valorisation": False,
            "note": "Décision du 24/09/2026 : transfert vers la fiche n°9",
        },
    ],
)
def test_canonical_lines_read_back_identically(row):
    expected = {"libelle": "", "annee": None, **row}
    parsed = parse_line(format_line(**row))
    assert parsed == expected


def test_a_financement_mentioned_inside_a_note_does_not_start_a_new_line():
    line = "Financement ONDAM : montant non précisé (Financement 100% ONDAM)"
    assert split_lines(line) == [line]
    assert parse_text(line)[0]["note"] == "Financement 100% ONDAM"


@pytest.mark.parametrize(
    ("line", "montant"),
    [
        ("Financement Etat : \u22121 500,50 €", Decimal("-1500.5")),
        ("Financement CD 2025-2027 : 3 000 €", Decimal("3000")),
    ],
)
def test_a_minus_sign_is_read_only_when_it_touches_the_amount(line, montant):
    assert parse_line(line)["montant"] == montant


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("12 500 €", Decimal("12500"), "€"),
        ("12\u202f500\u00a0€", Decimal("12500"), "€"),
        ("12.500 euros", Decimal("12500"), "€"),
        ("12500 EUR", Decimal("12500"), "€"),
        ("12 500,50 €", Decimal("12500.5"), "€"),
        ("12,500 €", Decimal("12500"), "€"),
        ("12,5 k€", Decimal("12500"), "k€"),
        ("12 K€", Decimal("12000"), "k€"),
        ("1200 k€", Decimal("1200000"), "k€"),
        ("1,2 M€", Decimal("1200000"), "M€"),
        ("1,2 million d'euros", Decimal("1200000"), "M€"),
        ("3 millions €", Decimal("3000000"), "M€"),
        ("\u22121 500,50 €", Decimal("-1500.5"), "€"),
    ],
)
def test_french_amount_notations_are_read(written, value, unit):
    [amount] = find_amounts(written)
    assert (amount.value, amount.unit) == (value, unit)


def test_a_bare_number_is_an_amount_only_where_an_amount_is_expected():
    assert find_amounts("12500") == []
    assert leading_amount("12500").value == Decimal("12500")
    assert leading_amount("20000 dont 5000 de valorisation").value == Decimal("20000")
    assert leading_amount("40 vacations par an") is None
    assert leading_amount("2025-2027 : 3 000 €") is None
    assert find_amounts("Financement 100% ONDAM", bare=True) == []


def test_a_year_before_an_amount_is_not_glued_to_it():
    assert [a.value for a in find_amounts("en 2025 12 500 €")] == [Decimal("12500")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Financement Etat : 12500", ("etat", Decimal("12500"), False)),
        ("Financement CD : 20 k€ dont 5 k€ de valorisation", ("cd", Decimal("20000"), True)),
        ("Financement Etat : 1,2 M€", ("etat", Decimal("1200000"), False)),
        ("Financement CAF : 45\u202f000\u00a0€", ("caf", Decimal("45000"), False)),
    ],
)
def test_funding_lines_in_every_notation(line, expected):
    row = parse_line(line)
    assert (row["financeur"], row["montant"], row["valorisation"]) == expected


def test_dont_valorisation_is_kept_as_the_note_and_reads_back():
    row = parse_line("Financement CD : 20 000 € dont 5 000 € de valorisation")
    assert row["note"] == "dont 5 000 € de valorisation"
    assert parse_line(format_line(**row)) == row


def test_an_amount_beyond_what_the_fiche_keeps_is_not_taken():
    assert parse_line("Financement Etat : 99 999 999 999 €")["montant"] is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Etat : 12 500 €", ("etat", "", Decimal("12500"))),
        ("Conseil départemental : 8 000 € (valorisation)", ("cd", "", Decimal("8000"))),
        ("Caisse d'allocations familiales (CAF) : 45 k€", ("caf", "", Decimal("45000"))),
        ("Région Occitanie : 5 000 €", ("autre", "Région Occitanie", Decimal("5000"))),
    ],
)
def test_a_funder_and_an_amount_without_the_word_financement(line, expected):
    row = parse_labelled_line(line)
    assert (row["financeur"], row["libelle"], row["montant"]) == expected


def test_a_label_that_names_no_funder_is_not_a_funding_line():
    assert parse_labelled_line("Prix de journée : 70 € X 365 jrs") is None
    assert parse_labelled_line("Etat : à définir") is None


def test_hostile_texts_are_read_without_backtracking():
    """Des suites de chiffres, d'espaces, de points ou de parenthèses se lisent en un seul
    passage (regroupement des chiffres sans expression à retour arrière) : pas de test
    chronométré, la taille suffit à rendre visible un temps quadratique."""
    assert find_amounts("1 " * 50_000) == []
    assert find_amounts("1" * 100_000 + " €") == []
    assert len(split_lines("Financement (" * 20_000)) == 1
    assert parse_labelled_line("1." * 50_000) is None

from decimal import Decimal

import pytest

from pilotage.documents.financements import format_line, parse_line, parse_text, split_lines


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

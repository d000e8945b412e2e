"""Export JSON du contrat : chaque acteur, étape et indicateur porte `retire_le` (date ISO
du retrait, `null` pour une ligne en service), une ligne retirée reste exportée."""

import datetime

from pilotage.contrats.export import contrat_export

RETIRE = datetime.date(2026, 3, 2)


def test_withdrawn_lines_are_exported_with_their_withdrawal_date(fiche):
    fiche.acteurs.filter(nom="CH").update(retire_le=RETIRE)
    fiche.jalons.update(retire_le=RETIRE)
    fiche.indicateurs.update(retire_le=RETIRE)
    [item] = contrat_export(fiche.contrat)["fiches"]
    assert [(a["nom"], a["retire_le"]) for a in item["acteurs"]] == [
        ("CH", "2026-03-02"),
        ("ARS", None),
    ]
    assert [j["retire_le"] for j in item["jalons"]] == ["2026-03-02"]
    assert [i["retire_le"] for i in item["indicateurs"]] == ["2026-03-02"]


def test_lines_in_service_have_a_null_withdrawal_date(fiche):
    [item] = contrat_export(fiche.contrat)["fiches"]
    for relation in ("acteurs", "jalons", "indicateurs"):
        assert all(line["retire_le"] is None for line in item[relation]), relation

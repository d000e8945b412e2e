"""Les rapports d'exécution dans l'export JSON du contrat (registre core.exports) : état
de chaque rapport et, pour une version arrêtée, le contenu tel qu'adopté."""

from pilotage.contrats.export import contrat_export
from pilotage.rapports import services
from pilotage.rapports.models import SectionRapport


def test_the_contract_export_holds_each_report_and_its_frozen_versions(
    contrat, rapport, cd, ddets, ars, fiches
):
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiches[0],
        texte="Bilan adopté par les trois parties.",
    )
    services.rapport_submit(rapport=rapport, user=cd)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=rapport, user=user)
    version = services.rapport_arreter(rapport=rapport, user=cd)

    (exported,) = contrat_export(contrat)["rapports_execution"]
    assert exported["annee"] == rapport.annee
    assert exported["statut"] == "arrete"
    (frozen,) = exported["versions_arretees"]
    assert frozen["version"] == 1 and frozen["arrete_par"] == cd.email
    assert frozen["contenu"] == version.contenu
    assert "Bilan adopté par les trois parties." in str(frozen["contenu"])


def test_a_contract_without_reports_exports_an_empty_list(contrat):
    assert contrat_export(contrat)["rapports_execution"] == []

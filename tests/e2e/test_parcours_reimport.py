"""Parcours de réimport : un document qui ne porte plus un indicateur déjà suivi ; l'aperçu
le signale avec son suivi et son score de confiance, le pilote le marque retiré, confirme,
et le retrouve « retiré » sur l'onglet Indicateurs avec sa valeur ; axe-core sur l'aperçu."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from tests.documents.docx_builder import FicheSpec, build_docx


def _document(indicateurs):
    return build_docx(
        FicheSpec(
            numero=9,
            titre="Renforcer les visites à domicile (essai de réimport)",
            indicateurs_quantitatifs=indicateurs,
        )
    )


def test_pilot_reimports_a_document_and_withdraws_an_indicator_that_has_values(
    demo, login, live_server, tmp_path, settings, axe
):
    from pilotage.contrats.models import Contrat
    from pilotage.documents.importer import parse_document
    from pilotage.documents.services import fiches_import
    from pilotage.suivi.services import valeur_create

    settings.MEDIA_ROOT = tmp_path / "media"
    contrat = Contrat.objects.get(departement__code="41")
    first = _document(["Nombre de VAD", "Nombre de visites (essai)"])
    fiches_import(
        contrat=contrat,
        result=parse_document(first, filename="v1.docx"),
        user=None,
        filename="v1.docx",
    )
    suivi = contrat.fiches.get(numero=9).indicateurs.get(libelle="Nombre de visites (essai)")
    valeur_create(indicateur=suivi, user=None, annee=2025, valeur=Decimal("37"))
    document = tmp_path / "fiches-v2.docx"
    document.write_bytes(_document(["Nombre de VAD"]))

    page = login("pilote.41@demo.pilotage.test")
    page.get_by_role("link", name=re.compile("^Loir-et-Cher")).click()
    page.get_by_role("link", name="Importer des fiches (Word)").click()
    page.set_input_files("input[type=file]", str(document))
    page.get_by_role("button", name="Lire le document").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'import")
    absents = page.locator("#absents")
    expect(absents).to_contain_text("indicateur « Nombre de visites (essai) »")
    expect(absents).to_contain_text("1 valeur d'indicateur")
    expect(absents.get_by_label("Conserver")).to_be_checked()
    expect(page.locator("#apercu-fiche-9 .confiance")).to_have_text("11 champs sur 11 reconnus")
    axe.audit(page, "Import : aperçu d'un réimport")

    absents.get_by_text("Marquer comme retiré").click()
    page.get_by_role("button", name="Importer 1 fiche").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("1 élément(s) suivi(s) marqué(s)")

    page.goto(f"{live_server.url}/contrats/{contrat.pk}/fiches/9/indicateurs/")
    bloc = page.locator(f"#indicateur-{suivi.pk}")
    expect(bloc.locator(".retrait")).to_contain_text("Retiré le")
    expect(bloc).to_contain_text("37")
    expect(bloc.locator(".saisie-valeur")).to_have_count(0)
    axe.assert_no_blocking()

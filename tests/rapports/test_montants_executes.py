"""Montants exécutés de l'annexe financière : saisis par les pilotes du Conseil
départemental tant que le rapport se rédige (bornés, rien d'écrit à moitié), figés avec la
version arrêtée, relus dans le JSON, le tableur et le Word ; formulaire de la page par HTMX
comme sans JavaScript."""

import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from pilotage.rapports import selectors, services
from pilotage.rapports.content.fige import contenu_fige
from pilotage.rapports.formats import EXPORTERS, rapport_json
from pilotage.rapports.models import MontantExecute
from tests.htmx import assert_html_equal, parse_page, update_page_with_htmx

HISTORIQUE = '//section[@aria-labelledby="historique-titre"]'


def _url(rapport, name="executes"):
    return reverse(f"rapports:{name}", args=[rapport.contrat_id, rapport.annee])


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _contenu(rapport):
    return selectors.contenu_calcule(
        rapport.contrat,
        rapport.annee,
        sections=rapport.sections.select_related("fiche"),
        executes=selectors.executes_du_rapport(rapport),
    )


def _ligne(contenu, fiche, financeur):
    (ligne,) = [
        ligne
        for ligne in contenu.annexe_financiere.lignes
        if (ligne.fiche, ligne.financeur) == (fiche, financeur)
    ]
    return ligne


def test_le_pilote_du_cd_saisit_l_execute_qui_entre_dans_l_annexe(rapport, cd, fiches):
    services.montants_executes_save(
        rapport=rapport, user=cd, montants={("1", "etat"): Decimal("12000.50")}
    )
    contenu = _contenu(rapport)
    assert _ligne(contenu, "1", "etat").execute == Decimal("12000.50")
    assert _ligne(contenu, "2", "etat").execute is None
    (etat,) = [t for t in contenu.annexe_financiere.totaux if t.financeur == "etat"]
    assert etat.execute == Decimal("12000.50")
    ligne_json = [
        ligne
        for ligne in rapport_json(contenu)["annexe_financiere"]["lignes"]
        if ligne["fiche"] == "1" and ligne["financeur"] == "etat"
    ][0]
    assert ligne_json["execute"] == 12000.5
    # Un montant vide efface la saisie ; l'historique du rapport garde chaque changement.
    services.montants_executes_save(rapport=rapport, user=cd, montants={("1", "etat"): None})
    assert not MontantExecute.objects.exists()


@pytest.mark.parametrize("qui", ["ddets", "ars", "lecteur", "autre_departement"])
def test_seuls_les_pilotes_du_cd_saisissent_l_execute(request, rapport, fiches, qui):
    user = request.getfixturevalue(qui)
    with pytest.raises(PermissionDenied):
        services.montants_executes_save(
            rapport=rapport, user=user, montants={("1", "etat"): Decimal(10)}
        )
    assert not MontantExecute.objects.exists()


def test_l_execute_ne_change_plus_une_fois_le_rapport_valide(valide, cd):
    with pytest.raises(PermissionDenied):
        services.montants_executes_save(
            rapport=valide, user=cd, montants={("1", "etat"): Decimal(10)}
        )


def test_pendant_la_relecture_un_execute_change_annule_les_validations(soumis, cd, ddets):
    services.rapport_validate(rapport=soumis, user=ddets)
    services.montants_executes_save(rapport=soumis, user=cd, montants={("1", "etat"): Decimal(5)})
    assert not soumis.validations.exists()


@pytest.mark.parametrize("montant", [Decimal("-0.01"), Decimal("10000000000")])
def test_un_montant_hors_bornes_est_refuse_sans_rien_ecrire(rapport, cd, fiches, montant):
    with pytest.raises(ValidationError):
        services.montants_executes_save(
            rapport=rapport,
            user=cd,
            montants={("1", "etat"): Decimal(3), ("2", "etat"): montant},
        )
    assert not MontantExecute.objects.exists()


def test_une_fiche_d_un_autre_contrat_est_refusee(rapport, cd, fiches):
    with pytest.raises(ValidationError):
        services.montants_executes_save(
            rapport=rapport, user=cd, montants={("99", "etat"): Decimal(3)}
        )


def test_l_execute_est_fige_avec_la_version_et_relu_dans_le_tableur(
    rapport, cd, ddets, ars, fiches
):
    services.montants_executes_save(
        rapport=rapport, user=cd, montants={("2", "etat"): Decimal("9876.54")}
    )
    services.rapport_submit(rapport=rapport, user=cd)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=rapport, user=user)
    rapport.refresh_from_db()
    version = services.rapport_arreter(rapport=rapport, user=cd)
    MontantExecute.objects.all().delete()  # ce qui change ensuite ne touche pas l'arrêté
    calcule = version.contenu["calcule"]
    (ligne,) = [
        ligne
        for ligne in calcule["annexe_financiere"]["lignes"]
        if ligne["fiche"] == "2" and ligne["financeur"] == "etat"
    ]
    assert Decimal(str(ligne["execute"])) == Decimal("9876.54")
    fige = contenu_fige(calcule)
    sheet = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"](fige))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    col = headers.index("Exécuté")
    (row,) = [r for r in rows[1:] if r[0] == "2" and r[headers.index("Code financeur")] == "etat"]
    assert Decimal(str(row[col])) == Decimal("9876.54")
    totaux = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"](fige))).worksheets[1]
    assert "Exécuté" in [c.value for c in totaux[1]]
    document = Document(io.BytesIO(EXPORTERS["docx"](fige)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Exécuté" in cells and "9\u202f876,54\u00a0€" in cells


# --- Page ------------------------------------------------------------------------------


def test_le_formulaire_htmx_rend_l_annexe_comme_la_page(client, rapport, cd, fiches):
    client.force_login(cd)
    page = client.get(_url(rapport, "rapport"))
    assert 'name="execute_0"' in _text(page)
    saved = client.post(_url(rapport), {"execute_0": "1 500,25"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "<h1" not in _text(saved)
    after = update_page_with_htmx(page, f'//form[@hx-post="{_url(rapport)}"]', saved)
    expected = parse_page(_text(client.get(_url(rapport, "rapport"))))
    for tree, xpath in (
        (after, '//p[@role="status"]'),
        (after, HISTORIQUE),
        (expected, HISTORIQUE),
    ):
        for element in tree.xpath(xpath):
            element.getparent().remove(element)
    assert_html_equal(after, expected)
    assert MontantExecute.objects.get().montant == Decimal("1500.25")


def test_un_montant_invalide_est_signale_en_place_avec_ou_sans_javascript(
    client, rapport, cd, fiches
):
    client.force_login(cd)
    data = {"execute_0": "12", "execute_2": "-3"}
    fragment = client.post(_url(rapport), data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 400 and "<h1" not in _text(fragment)
    assert "Indiquez un montant entre 0 et" in _text(fragment)
    page = client.post(_url(rapport), {"execute_0": "abc"})
    assert page.status_code == 400 and "<h1" in _text(page)
    assert "Indiquez un montant en euros" in _text(page)
    assert not MontantExecute.objects.exists()
    ok = client.post(_url(rapport), {"execute_0": "12"})
    assert ok.status_code == 302 and ok.url.endswith("#annexe")


def test_l_etat_ne_voit_pas_le_formulaire_et_ne_peut_pas_poster(client, soumis, ddets, fiches):
    client.force_login(ddets)
    page = _text(client.get(_url(soumis, "rapport")))
    assert 'id="annexe"' in page and 'name="execute_0"' not in page
    assert client.post(_url(soumis), {"execute_0": "12"}).status_code == 403
    assert not MontantExecute.objects.exists()

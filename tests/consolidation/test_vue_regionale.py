"""Vue régionale (issue 15) : qui la voit, les chiffres de chaque contrat contre les
données (fiches par état, en retard, à impact, réunions, décisions ouvertes, rapport),
filtres et tri, exports relus, un nombre de requêtes qui ne croît pas avec les contrats."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from pilotage.consolidation import selectors
from pilotage.contrats.models import Contrat, Etat, VersionSignee
from pilotage.territoires.models import Departement, Region
from tests.factories import UserFactory, grant
from tests.htmx import assert_htmx_swap_matches_full_render, fill

pytestmark = pytest.mark.django_db

E = Etat


def _url(region, **params):
    url = reverse("consolidation:region", args=[region.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _region(code="23"):
    return Departement.objects.get(code=code).region


# --- Qui voit quoi ---------------------------------------------------------------------


def test_a_departement_pilot_is_refused_the_regional_view(client, contrat_suivi):
    contrat = contrat_suivi("23")
    pilote = UserFactory()
    grant(pilote, contrat)
    client.force_login(pilote)
    assert client.get(_url(_region())).status_code == 403
    export = reverse("consolidation:region_export", args=[_region().pk, "xlsx"])
    assert client.get(export).status_code == 403


def test_regional_staff_see_their_region_only(client, contrat_suivi, regional_na):
    contrat_suivi("23")
    contrat_suivi("41")
    client.force_login(regional_na)
    response = client.get(_url(regional_na.region))
    assert response.status_code == 200
    assert [li.departement.code for g in response.context["groupes"] for li in g.lignes] == ["23"]
    other = _region("41")
    assert client.get(_url(other)).status_code == 404
    export = reverse("consolidation:region_export", args=[other.pk, "xlsx"])
    assert client.get(export).status_code == 404


def test_national_staff_open_any_region(client, contrat_suivi, national):
    contrat_suivi("41")
    client.force_login(national)
    response = client.get(_url(_region("41")))
    assert response.status_code == 200
    assert "Loir-et-Cher (41)" in response.content.decode()


def test_an_unknown_region_or_format_is_not_found(client, national):
    client.force_login(national)
    assert client.get(reverse("consolidation:region", args=[999999])).status_code == 404
    export = reverse("consolidation:region_export", args=[_region().pk, "exe"])
    assert client.get(export).status_code == 404
    assert client.get(_url(_region(), generation="1900-1901")).status_code == 404


# --- Les chiffres ----------------------------------------------------------------------


def test_each_row_counts_the_contract_data(contrat_suivi, regional_na):
    contrat_suivi(
        "23",
        etats=(E.NON_DEMARREE, E.EN_COURS, E.EN_COURS, E.REALISEE, E.ABANDONNEE),
        retard=2,
        impact=3,
        derniere=-30,
        prochaine=20,
        decisions=2,
        rapport="soumis",
    )
    (ligne,) = selectors.lignes_contrats(
        regional_na, generation=Contrat.objects.get().generation, region=regional_na.region
    )
    assert ligne.fiches == 5
    assert [n for _, n in ligne.par_etat] == [1, 2, 1, 1]
    assert ligne.retard == 2  # la fiche réalisée et l'abandonnée ne sont jamais en retard
    assert ligne.part_retard == 40
    assert ligne.a_impact == 3
    assert ligne.reunion_recente
    assert ligne.prochaine_reunion > ligne.derniere_reunion
    assert ligne.decisions_ouvertes == 2
    assert (ligne.rapport_annee, ligne.rapport_statut) == (2025, "soumis")
    assert not ligne.rapport_valide


def test_late_fiches_realised_or_abandoned_are_not_late(contrat_suivi, national):
    contrat_suivi("23", etats=(E.REALISEE, E.ABANDONNEE, E.EN_COURS), retard=3)
    (ligne,) = selectors.lignes_contrats(
        national, generation=Contrat.objects.get().generation, region=None
    )
    assert ligne.retard == 1


def test_a_contract_without_a_meeting_in_eight_months_is_flagged(contrat_suivi, national):
    contrat_suivi("23", derniere=-300, prochaine=10)
    contrat_suivi("19", annulee=-10)  # une réunion annulée n'est pas tenue
    contrat_suivi("87", derniere=-200)
    lignes = {
        li.departement.code: li
        for li in selectors.lignes_contrats(
            national, generation=Contrat.objects.first().generation, region=None
        )
    }
    assert not lignes["23"].reunion_recente
    assert not lignes["19"].reunion_recente and lignes["19"].derniere_reunion is None
    assert lignes["87"].reunion_recente


def test_eight_months_before_keeps_the_last_day_of_a_short_month():
    assert selectors.mois_avant(datetime.date(2026, 10, 31), 8) == datetime.date(2026, 2, 28)
    assert selectors.mois_avant(datetime.date(2026, 3, 15), 8) == datetime.date(2025, 7, 15)


def test_the_page_shows_each_row_with_a_link_and_the_flag(client, contrat_suivi, regional_na):
    contrat = contrat_suivi("23", derniere=-300)
    client.force_login(regional_na)
    html = client.get(_url(regional_na.region)).content.decode()
    assert reverse("contrats:contrat", args=[contrat.pk]) in html
    assert "Aucune depuis 8 mois" in html
    assert "Corrèze (19)" in html  # sans contrat, nommée sous le tableau


# --- Filtres et tri ------------------------------------------------------------------


def _codes(response):
    return [li.departement.code for g in response.context["groupes"] for li in g.lignes]


def test_rows_are_filtered_and_sorted_by_plain_parameters(client, contrat_suivi, regional_na):
    contrat_suivi("23", etats=(E.EN_COURS,) * 3, retard=1, derniere=-300)
    contrat_suivi("19", etats=(E.EN_COURS,) * 3, retard=3, derniere=-10)
    contrat_suivi("87", etats=(E.EN_COURS,), derniere=-20)
    client.force_login(regional_na)
    region = regional_na.region
    assert _codes(client.get(_url(region))) == ["19", "23", "87"]
    assert _codes(client.get(_url(region, tri="retard", ordre="desc"))) == ["19", "23", "87"]
    assert _codes(client.get(_url(region, tri="retard"))) == ["87", "23", "19"]
    assert _codes(client.get(_url(region, retard="on"))) == ["19", "23"]
    assert _codes(client.get(_url(region, reunion="sans"))) == ["23"]
    assert _codes(client.get(_url(region, q="corr"))) == ["19"]
    assert _codes(client.get(_url(region, rapport="aucun"))) == ["19", "23", "87"]


def test_forged_sort_and_filter_parameters_fall_back(client, contrat_suivi, regional_na):
    contrat_suivi("23")
    contrat_suivi("19")
    client.force_login(regional_na)
    response = client.get(_url(regional_na.region, tri="__class__", ordre="x", reunion="zz"))
    assert response.status_code == 200
    assert _codes(response) == ["19", "23"]
    response = client.get(_url(regional_na.region, q="x" * 500))
    assert response.status_code == 200


# --- Exports ---------------------------------------------------------------------------


def test_the_workbook_holds_the_filtered_rows(client, contrat_suivi, regional_na):
    contrat_suivi("23", etats=(E.EN_COURS, E.REALISEE), retard=1, decisions=1, derniere=-30)
    contrat_suivi("19")
    client.force_login(regional_na)
    url = reverse("consolidation:region_export", args=[regional_na.region.pk, "xlsx"])
    response = client.get(url + "?retard=on")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Contrats"]
    rows = list(sheet.iter_rows(values_only=True))
    header, (row,) = rows[0], rows[1:]
    data = dict(zip(header, row, strict=True))
    assert data["Code du département"] == "23"
    assert data["Fiches"] == 2 and data["En cours"] == 1 and data["Réalisée"] == 1
    assert data["En retard"] == 1
    assert data["Décisions ouvertes"] == 1
    assert data["Réunion dans les 8 derniers mois"] == "Oui"


def test_the_workbook_exists_in_opendocument(client, contrat_suivi, regional_na):
    contrat_suivi("23")
    client.force_login(regional_na)
    url = reverse("consolidation:region_export", args=[regional_na.region.pk, "ods"])
    response = client.get(url)
    assert response.status_code == 200
    from odfdo import Document

    document = Document(io.BytesIO(response.content))
    table = document.body.get_table(name="Contrats")
    assert table.get_cell("C2").value == "Creuse"


# --- Requêtes ------------------------------------------------------------------------


def test_page_queries_do_not_grow_with_the_contracts(
    client, contrat_suivi, national, django_assert_max_num_queries
):
    client.force_login(national)
    region = _region()
    for code in ("23", "19"):
        contrat_suivi(code, retard=1, derniere=-30, prochaine=5, decisions=1, rapport="valide")
    client.get(_url(region))  # première visite : session et menus mis en cache
    with django_assert_max_num_queries(12) as few:
        client.get(_url(region))
    for code in ("87", "24", "33"):
        contrat_suivi(code, retard=1, derniere=-30, prochaine=5, decisions=1, rapport="valide")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert client.get(_url(region)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert Contrat.objects.count() == 5
    assert not any(VersionSignee._meta.db_table in q["sql"] for q in many.captured_queries)


def test_regions_do_not_leak_between_regional_users(contrat_suivi):
    contrat_suivi("41")
    user = UserFactory(perimetre="regional", region=Region.objects.get(nom="Île-de-France"))
    lignes = selectors.lignes_contrats(
        user, generation=Contrat.objects.get().generation, region=None
    )
    assert lignes == []


# --- HTMX : tri et filtres sans recharger la page ----------------------------------------


def test_sorting_by_htmx_matches_the_full_page(client, contrat_suivi, regional_na):
    contrat_suivi("23", etats=(E.EN_COURS,) * 2, retard=1)
    contrat_suivi("19", etats=(E.EN_COURS,) * 2, retard=2)
    client.force_login(regional_na)
    page = client.get(_url(regional_na.region))
    colonne = next(c for c in page.context["colonnes"] if c["key"] == "retard")
    response = client.get(colonne["url"], HTTP_HX_REQUEST="true")
    assert _codes(response) == ["23", "19"]
    assert_htmx_swap_matches_full_render(
        page, f"//a[@hx-get='{colonne['url']}']", response, client.get(colonne["url"])
    )


def test_filtering_by_htmx_matches_the_full_page(client, contrat_suivi, regional_na):
    contrat_suivi("23", derniere=-300)
    contrat_suivi("19", derniere=-10)
    client.force_login(regional_na)
    page = client.get(_url(regional_na.region))
    params = {"generation": "2025-2027", "q": "", "reunion": "sans", "rapport": ""}
    params |= {"tri": "", "ordre": ""}
    url = _url(regional_na.region)
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert _codes(response) == ["23"]
    assert_htmx_swap_matches_full_render(
        fill(page, reunion="sans"), "#filtres-contrats", response, client.get(url, params)
    )

"""Page « Journal des accès » d'un contrat : droits, filtres, pages, exports."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pilotage.comptes.models import User
from pilotage.journal.models import Acces
from tests.factories import AccesFactory, ContratFactory, UserFactory, grant


def url(contrat, suffix=""):
    return f"/contrats/{contrat.pk}/journal/{suffix}"


# --- droits ---------------------------------------------------------------------------


def test_a_pilote_reads_the_journal_of_the_contrat(client, contrat, pilote, lecteur):
    AccesFactory(contrat=contrat, user=lecteur, objet="Fiche 3 – Accompagner les familles")
    client.force_login(pilote)
    response = client.get(url(contrat))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Journal des accès" in page
    assert "Luc Lecteur (luc.lecteur@exemple.test)" in page
    assert "Fiche 3 – Accompagner les familles" in page


def test_the_national_level_reads_the_journal_of_any_contrat(client, contrat, national):
    client.force_login(national)
    assert client.get(url(contrat)).status_code == 200


def test_an_administrator_reads_the_journal(client, contrat):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url(contrat)).status_code == 200


@pytest.mark.parametrize("role", ["lecteur", "referent", "contributeur", "validateur"])
def test_other_roles_on_the_contrat_are_refused_with_403(client, contrat, role):
    user = UserFactory()
    grant(user, contrat, role)
    client.force_login(user)
    assert client.get(url(contrat)).status_code == 403
    assert client.get(url(contrat, "export.csv")).status_code == 403


def test_a_regional_reader_of_the_region_is_refused_with_403(client, contrat, creuse):
    regional = UserFactory(perimetre=User.Perimetre.REGIONAL, region=creuse.region)
    client.force_login(regional)
    assert client.get(url(contrat)).status_code == 403


def test_someone_who_cannot_see_the_contrat_gets_404(client, contrat, correze):
    other = UserFactory()
    grant(other, ContratFactory(departement=correze))
    client.force_login(other)
    assert client.get(url(contrat)).status_code == 404
    assert client.get(url(contrat, "export.xlsx")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, contrat):
    response = client.get(url(contrat))
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_the_contract_page_links_to_the_journal_for_pilotes_only(client, contrat, pilote, lecteur):
    client.force_login(pilote)
    assert url(contrat) in client.get(f"/contrats/{contrat.pk}/").content.decode()
    client.force_login(lecteur)
    assert url(contrat) not in client.get(f"/contrats/{contrat.pk}/").content.decode()


def test_the_national_journal_is_for_the_national_level_only(client, contrat, pilote, national):
    AccesFactory(contrat=contrat, objet="Compte rendu – Comité de suivi du 12/03/2026")
    client.force_login(pilote)
    assert client.get("/journal/").status_code == 403
    assert client.get("/journal/export.csv").status_code == 403
    client.force_login(national)
    response = client.get("/journal/")
    assert response.status_code == 200
    assert "Compte rendu – Comité de suivi du 12/03/2026" in response.content.decode()


# --- filtres et pages -----------------------------------------------------------------


def _rows(response) -> str:
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_filters_by_person_nature_and_period(client, contrat, pilote, lecteur):
    now = timezone.now()
    AccesFactory(
        contrat=contrat, user=lecteur, objet="Objet ancien", at=now - datetime.timedelta(days=40)
    )
    AccesFactory(contrat=contrat, user=lecteur, objet="Objet récent", nature="export")
    AccesFactory(contrat=contrat, user=pilote, objet="Objet du pilote")
    client.force_login(pilote)

    rows = _rows(client.get(url(contrat), {"personne": lecteur.pk}))
    assert "Objet ancien" in rows and "Objet récent" in rows and "Objet du pilote" not in rows

    rows = _rows(client.get(url(contrat), {"nature": "export"}))
    assert "Objet récent" in rows and "Objet ancien" not in rows

    debut = (now - datetime.timedelta(days=41)).date().isoformat()
    fin = (now - datetime.timedelta(days=39)).date().isoformat()
    rows = _rows(client.get(url(contrat), {"du": debut, "au": fin}))
    assert "Objet ancien" in rows and "Objet récent" not in rows


def test_a_reversed_period_is_refused_with_a_clear_message(client, contrat, pilote):
    AccesFactory(contrat=contrat)
    client.force_login(pilote)
    response = client.get(url(contrat), {"du": "2026-03-10", "au": "2026-03-01"})
    assert response.status_code == 400
    assert "La date de début doit précéder la date de fin." in response.content.decode()
    assert (
        client.get(url(contrat, "export.csv"), {"du": "2026-03-10", "au": "2026-03-01"}).status_code
        == 400
    )


@pytest.mark.parametrize(
    "params",
    [
        {"personne": "abc"},
        {"personne": "99999999999999999999"},
        {"nature": "piratage"},
        {"du": "32/13/2026"},
    ],
)
def test_forged_filters_answer_400_never_500(client, contrat, pilote, params):
    client.force_login(pilote)
    assert client.get(url(contrat), params).status_code == 400


def test_an_unknown_export_format_answers_404(client, contrat, pilote):
    client.force_login(pilote)
    assert client.get(url(contrat, "export.ods")).status_code == 404


def test_the_journal_is_paginated_and_a_forged_page_number_shows_a_page(client, contrat, pilote):
    AccesFactory.create_batch(60, contrat=contrat, user=pilote)
    client.force_login(pilote)
    first = client.get(url(contrat))
    assert _rows(first).count("<tr>") == 50
    assert "60 accès" in first.content.decode()
    assert _rows(client.get(url(contrat), {"page": 2})).count("<tr>") == 10
    assert client.get(url(contrat), {"page": "abc"}).status_code == 200
    assert client.get(url(contrat), {"page": "999999"}).status_code == 200


def test_the_journal_page_costs_a_fixed_number_of_queries(
    client, contrat, pilote, django_assert_max_num_queries
):
    client.force_login(pilote)
    # La première page après la connexion vérifie, une fois par session, si un second
    # facteur est dû (comptes.middleware) : hors du compte.
    client.get("/")
    for count in (3, 50):
        Acces.objects.all().delete()
        for _ in range(count):
            AccesFactory(contrat=contrat, user=UserFactory())
        # Compteur « Mes tâches » du menu compris (une requête sur chaque page).
        with django_assert_max_num_queries(12):
            assert client.get(url(contrat)).status_code == 200


# --- exports --------------------------------------------------------------------------


@pytest.fixture
def hostile(contrat):
    user = UserFactory(first_name='=HYPERLINK("http://x")', last_name="", email="h@exemple.test")
    return AccesFactory(contrat=contrat, user=user, objet="+cmd|' /C calc'!A0")


def test_the_csv_export_neutralises_formulas_and_keeps_the_filters(
    client, contrat, pilote, hostile
):
    AccesFactory(contrat=contrat, user=pilote, nature="export", objet="Export XLSX du contrat")
    client.force_login(pilote)
    response = client.get(url(contrat, "export.csv"), {"nature": "consultation"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Date", "Personne", "Institution", "Nature", "Objet"]
    assert len(rows) == 2
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][4] == "'+cmd|' /C calc'!A0"


def test_the_xlsx_export_writes_text_never_formulas(client, contrat, pilote, hostile):
    client.force_login(pilote)
    response = client.get(url(contrat, "export.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for c in sheet[2]]
    assert cells[1].startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_exporting_the_journal_is_itself_recorded(client, contrat, pilote):
    client.force_login(pilote)
    client.get(url(contrat, "export.csv"))
    entry = Acces.objects.get()
    assert (entry.user, entry.nature, entry.objet) == (
        pilote,
        "export",
        "Export CSV du journal des accès",
    )


# --- conservation ---------------------------------------------------------------------


def test_the_journal_keeps_the_name_of_a_deleted_account(client, contrat, pilote, lecteur):
    AccesFactory(contrat=contrat, user=lecteur)
    lecteur.delete()
    client.force_login(pilote)
    assert "Luc Lecteur (luc.lecteur@exemple.test)" in _rows(client.get(url(contrat)))


def test_the_admin_list_is_read_only(client, contrat):
    entry = AccesFactory(contrat=contrat)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/journal/acces/").status_code == 200
    assert client.get(f"/admin/journal/acces/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/journal/acces/add/").status_code == 403
    assert (
        client.post(f"/admin/journal/acces/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Acces.objects.filter(pk=entry.pk).exists()


def test_the_menu_offers_the_national_journal_to_the_national_level_only(
    client, contrat, pilote, national
):
    client.force_login(national)
    assert 'href="/journal/"' in client.get("/").content.decode()
    client.force_login(pilote)
    assert 'href="/journal/"' not in client.get("/").content.decode()

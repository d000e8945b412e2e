"""Vue nationale (issue 15) : réservée au niveau national, contrats par région, carte
schématique des départements colorée par la mesure choisie et son tableau accessible,
objectifs (départements, fiches, financements par financeur), exports relus, nombre de
requêtes qui ne croît pas avec les contrats."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pilotage.consolidation import carte
from pilotage.contrats.models import Contrat, Etat, Indicateur, VersionSignee
from pilotage.referentiel.models import IndicateurNational, Objectif
from pilotage.referentiel.unites import Unite
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

URL = reverse("consolidation:national")


def _tableau_carte(response) -> dict[str, tuple[str, str]]:
    """Le tableau accessible de la carte : code → (valeur, classe)."""
    return {
        t["code"]: (t["valeur"].texte, t["valeur"].classe.libelle)
        for t in response.context["carte"]["geometrie"]["tiles"]
    }


# --- Qui voit quoi ---------------------------------------------------------------------


def test_a_departement_pilot_is_refused_the_national_view(client, contrat_suivi):
    pilote = UserFactory()
    grant(pilote, contrat_suivi("23"))
    client.force_login(pilote)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("consolidation:national_export", args=["xlsx"])).status_code == 403


def test_regional_staff_are_sent_to_their_region(client, regional_na):
    client.force_login(regional_na)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("consolidation:region", args=[regional_na.region.pk])
    export = reverse("consolidation:national_export", args=["xlsx"])
    assert client.get(export).status_code == 403


def test_the_national_view_groups_every_contract_by_region(client, contrat_suivi, national):
    contrat_suivi("23")
    contrat_suivi("19")
    contrat_suivi("41")
    client.force_login(national)
    response = client.get(URL)
    assert response.status_code == 200
    groupes = {
        g.region.nom: [li.departement.code for li in g.lignes] for g in response.context["groupes"]
    }
    assert groupes["Nouvelle-Aquitaine"] == ["19", "23"]
    assert groupes["Centre-Val de Loire"] == ["41"]
    assert len(groupes) == 18


# --- La carte ------------------------------------------------------------------------


def test_the_schematic_grid_places_the_101_departements_once():
    cells = carte.positions()
    assert set(cells) == set(Departement.objects.values_list("code", flat=True))
    assert len(set(cells.values())) == 101


def test_the_map_table_gives_the_share_of_late_fiches(client, contrat_suivi, national):
    contrat_suivi("23", etats=(Etat.EN_COURS,) * 4, retard=1)
    contrat_suivi("19", etats=(Etat.EN_COURS,) * 2)
    contrat_suivi("87", etats=(Etat.EN_COURS,) * 2, retard=1)
    client.force_login(national)
    response = client.get(URL)
    valeurs = _tableau_carte(response)
    assert valeurs["23"] == ("25 % (1 sur 4)", "25 % des fiches en retard ou plus")
    assert valeurs["19"] == ("0 % (0 sur 2)", "Aucune fiche en retard")
    assert valeurs["87"][0] == "50 % (1 sur 2)"
    assert valeurs["75"] == ("Pas de donnée", carte.SANS_CONTRAT.libelle)
    liens = {t["code"]: t["href"] for t in response.context["carte"]["geometrie"]["tiles"]}
    assert liens["75"] == "" and liens["23"]  # un carré sans contrat n'ouvre rien
    html = response.content.decode()
    assert "<caption>Valeurs de la carte : Part des fiches en retard</caption>" in html
    link = reverse("contrats:contrat", args=[Contrat.objects.get(departement__code="23").pk])
    assert (
        f'<a href="{link}" aria-label="Creuse (23) : 25 % (1 sur 4) – ouvrir le contrat">' in html
    )


def test_names_in_the_tables_and_the_map_are_escaped(client, contrat_suivi, national):
    # Rangées et carrés sont écrits en Python (consolidation.tableau, carte) : tout
    # texte de la base y est échappé comme le gabarit l'aurait fait.
    contrat_suivi("23")
    Departement.objects.filter(code__in=["23", "75"]).update(nom="<b>Creuse</b> & d'ici")
    client.force_login(national)
    html = client.get(URL).content.decode()
    assert "<b>Creuse</b>" not in html
    escaped = "&lt;b&gt;Creuse&lt;/b&gt; &amp; d&#x27;ici"
    assert f">{escaped} (23)</a></th>" in html  # tableau des contrats, tableau de la carte
    assert f'<th scope="row">{escaped} (75)</th>' in html  # sans contrat : sans lien
    assert f'aria-label="{escaped} (23) : 0 % (0 sur 1) – ouvrir le contrat"' in html
    assert f"<title>{escaped} (75) : Pas de donnée</title>" in html


def test_the_map_switches_to_meetings_and_reports(client, contrat_suivi, national):
    contrat_suivi("23", derniere=-30, rapport="valide")
    contrat_suivi("19", derniere=-300, rapport="brouillon")
    contrat_suivi("87")
    client.force_login(national)
    reunions = _tableau_carte(client.get(URL + "?mesure=reunion"))
    assert reunions["23"][1] == "Réunion tenue dans les 8 derniers mois"
    assert reunions["19"][1] == "Aucune réunion tenue depuis 8 mois"
    assert reunions["87"] == ("Non (aucune réunion tenue)", "Aucune réunion tenue depuis 8 mois")
    rapports = _tableau_carte(client.get(URL + "?mesure=rapport"))
    assert rapports["23"][1] == "Dernier rapport validé ou arrêté"
    assert rapports["19"][1] == "Rapport en rédaction ou soumis"
    assert rapports["87"] == ("Aucun rapport", "Aucun rapport d'exécution")


def test_the_map_shows_a_national_indicator_by_quartile(
    client, contrat_suivi, national, generation
):
    indicateur_national = IndicateurNational.objects.create(
        generation=generation, libelle="Taux de test (inventé)", unite=Unite.POURCENTAGE
    )
    for code, value in zip(
        ("23", "19", "87", "24", "33"), ("10", "20", "30", "40", "50"), strict=True
    ):
        fiche = contrat_suivi(code).fiches.get()
        indicateur = Indicateur.objects.create(
            fiche=fiche,
            nature=Indicateur.Nature.QUANTITATIF,
            libelle="Taux (inventé)",
            indicateur_national=indicateur_national,
            unite=Unite.POURCENTAGE,
        )
        valeur_create(
            indicateur=indicateur, user=None, annee=2025, valeur=Decimal(value), source="Test"
        )
    client.force_login(national)
    response = client.get(URL + f"?mesure=indicateur-{indicateur_national.pk}")
    assert response.context["carte"]["mesure"] == f"indicateur-{indicateur_national.pk}"
    valeurs = _tableau_carte(response)
    assert valeurs["23"][1] == "Jusqu'au 1er quartile"
    assert valeurs["87"][1] == "Du 1er quartile à la médiane"
    assert valeurs["24"][1] == "De la médiane au 3e quartile"
    assert valeurs["33"][1] == "Au-delà du 3e quartile"
    assert valeurs["33"][0].startswith("50")


@pytest.mark.parametrize("mesure", ["inconnue", "indicateur-999999", "indicateur-x", "<script>"])
def test_a_forged_measure_falls_back_to_the_default(client, national, mesure):
    client.force_login(national)
    response = client.get(URL, {"mesure": mesure})
    assert response.status_code == 200
    assert response.context["carte"]["mesure"] == carte.MESURE_DEFAUT


def test_every_measure_has_a_text_legend(client, national):
    client.force_login(national)
    html = client.get(URL + "?mesure=rapport").content.decode()
    for classe in carte.RAPPORT:
        assert classe.libelle.replace("'", "&#x27;") in html


# --- Objectifs -----------------------------------------------------------------------


def test_objectives_count_departements_fiches_and_funding(
    client, contrat_suivi, national, generation
):
    contrat_suivi("23", etats=(Etat.EN_COURS,) * 2)  # chaque fiche : objectifs 1 et 8
    contrat_suivi("19", etats=(Etat.EN_COURS,))
    client.force_login(national)
    response = client.get(URL)
    lignes = {li.objectif.numero: li for li in response.context["objectifs"]}
    huit = lignes[8]
    assert Objectif.objects.get(generation=generation, numero=8).statut == "facultatif"
    assert (huit.departements, huit.fiches) == (2, 3)
    # Chaque fiche de test prévoit 14 574 € de l'État et 14 574 € de valorisation du CD.
    assert huit.montant("etat") == Decimal("14574") * 3
    assert huit.montant("cd") is None
    assert huit.total == Decimal("14574") * 3
    assert (lignes[2].departements, lignes[2].fiches) == (0, 0)
    assert [li.objectif.numero for li in lignes.values() if li.facultatif] == [5, 8, 10, 11]
    assert (
        "Objectif n°8 : choisi par 2 départements sur les 2 qui ont un contrat, 3 fiches"
        in response.content.decode()
    )


# --- Exports ---------------------------------------------------------------------------


def test_the_national_workbook_holds_contracts_and_objectives(client, contrat_suivi, national):
    contrat_suivi("23", retard=1)
    contrat_suivi("41")
    client.force_login(national)
    response = client.get(reverse("consolidation:national_export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    contrats = list(workbook["Contrats"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in contrats[1:]] == [
        ("Nouvelle-Aquitaine", "23"),
        ("Centre-Val de Loire", "41"),
    ]
    objectifs = list(workbook["Objectifs"].iter_rows(values_only=True))
    header = objectifs[0]
    huit = next(r for r in objectifs[1:] if r[0].startswith("Objectif n°8 "))
    assert dict(zip(header, huit, strict=True))["Départements"] == 2


def test_the_national_workbook_exists_in_opendocument(client, contrat_suivi, national):
    contrat_suivi("23")
    client.force_login(national)
    response = client.get(reverse("consolidation:national_export", args=["ods"]))
    assert response.status_code == 200
    from odfdo import Document

    document = Document(io.BytesIO(response.content))
    assert {t.name for t in document.body.get_tables()} == {"Contrats", "Objectifs"}


# --- Requêtes et accueil ---------------------------------------------------------------


@pytest.mark.parametrize("mesure", ["retard", "indicateur"])
def test_page_queries_do_not_grow_with_the_contracts(
    client, contrat_suivi, national, generation, django_assert_max_num_queries, mesure
):
    client.force_login(national)
    if mesure == "indicateur":
        indicateur = IndicateurNational.objects.filter(generation=generation).first()
        mesure = f"indicateur-{indicateur.pk}"
    url = f"{URL}?mesure={mesure}"
    for code in ("23", "41"):
        contrat_suivi(code, retard=1, derniere=-30, prochaine=5, decisions=1, rapport="valide")
    client.get(url)
    with django_assert_max_num_queries(17) as few:  # 14, 17 avec un indicateur
        client.get(url)
    for code in ("19", "75", "971"):
        contrat_suivi(code, retard=1, derniere=-30, prochaine=5, decisions=1, rapport="valide")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert not any(VersionSignee._meta.db_table in q["sql"] for q in many.captured_queries)


def test_the_home_page_links_each_level_to_its_view(client, regional_na, national):
    home = reverse("contrats:accueil")
    regional_url = reverse("consolidation:region", args=[regional_na.region.pk])
    client.force_login(national)
    html = client.get(home).content.decode()
    assert f'href="{URL}"' in html and "Vue nationale" in html
    client.force_login(regional_na)
    html = client.get(home).content.decode()
    assert f'href="{regional_url}"' in html and "Vue régionale" in html
    assert f'href="{URL}"' not in html
    client.force_login(UserFactory())
    html = client.get(home).content.decode()
    assert "Vue régionale" not in html and "Vue nationale" not in html


def test_the_map_dates_a_meeting_just_after_midnight_on_its_local_day_like_the_table(
    client, contrat_suivi, national
):
    import datetime
    import zoneinfo

    from pilotage.reunions.models import Reunion

    contrat = contrat_suivi("23", derniere=-30)
    # 0 h 30 à Paris : encore la veille en temps universel.
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    nuit = (datetime.datetime.now(paris) - datetime.timedelta(days=30)).replace(
        hour=0, minute=30, second=0, microsecond=0
    )
    Reunion.objects.filter(contrat=contrat).update(date=nuit)
    client.force_login(national)
    texte = _tableau_carte(client.get(URL + "?mesure=reunion"))["23"][0]
    assert texte == f"Oui (dernière le {nuit:%d/%m/%Y})"

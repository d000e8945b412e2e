"""Pages des fiches : modification par le formulaire (succès, conflit, erreurs) et filtres."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from pilotage.contrats.models import FicheAction, Financement, Indicateur, Jalon, PointVigilance
from pilotage.contrats.services import fiche_update
from pilotage.core.models import Revision
from tests.contrats.helpers import existing_rows, fiche_post_data
from tests.factories import UserFactory, grant, make_fiche
from tests.htmx import assert_htmx_swap_matches_full_render, fill

PAST = datetime.date(2020, 1, 15)
FUTURE = datetime.date(2099, 1, 15)


@pytest.fixture
def pilot_client(client, pilote):
    client.force_login(pilote)
    return client


def edit_url(fiche):
    return f"/contrats/{fiche.contrat_id}/fiches/{fiche.numero}/modifier/"


def snapshot(fiche) -> dict:
    fiche = FicheAction.objects.get(pk=fiche.pk)
    return {
        "titre": fiche.titre,
        "etat": fiche.etat,
        "motif": fiche.motif_abandon,
        "numero": fiche.numero,
        "version": fiche.version,
        "lists": {r: existing_rows(fiche, r) for r in ("acteurs", "financements", "jalons")},
        "revisions": Revision.objects.for_object(fiche).count(),
    }


# --- modification réussie ---------------------------------------------------------


def test_the_edit_form_carries_the_current_version(pilot_client, fiche):
    fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "Revu"})
    html = pilot_client.get(edit_url(fiche)).content.decode()
    assert re.search(r'<input type="hidden" name="version" value="2"', html)


def test_a_valid_post_saves_the_fiche_and_redirects_to_it(pilot_client, pilote, fiche):
    financements = existing_rows(fiche, "financements")
    financements[0]["montant"] = Decimal("20000")
    [indicateur] = existing_rows(fiche, "indicateurs")
    indicateur["libelle"] = "Nombre d'entretiens prénataux réalisés"
    data = fiche_post_data(
        fiche,
        titre="Titre revu en comité",
        etat="en_cours",
        a_impact=True,
        lists={
            "financements": financements,
            "indicateurs": [indicateur],
            "acteurs": [*existing_rows(fiche, "acteurs"), {"nom": "CAF"}],
            "points_vigilance": [],
        },
    )
    response = pilot_client.post(edit_url(fiche), data)

    assert response.status_code == 302
    assert response["Location"] == f"/contrats/{fiche.contrat_id}/fiches/1/"
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.titre, saved.etat, saved.a_impact, saved.version) == (
        "Titre revu en comité",
        "en_cours",
        True,
        2,
    )
    assert Financement.objects.get(pk=financements[0]["id"]).montant == Decimal("20000")
    assert Indicateur.objects.get(fiche=fiche).pk == indicateur["id"]
    assert list(saved.acteurs.values_list("nom", flat=True)) == ["CH", "ARS", "CAF"]
    assert not PointVigilance.objects.filter(fiche=fiche).exists()
    revision = Revision.objects.for_object(fiche).first()
    assert revision.user == pilote
    assert {c.field for c in revision.changes.all()} == {
        "titre",
        "etat",
        "a_impact",
        "acteurs",
        "financements",
        "indicateurs",
        "points_vigilance",
    }


def test_the_history_page_shows_a_change_made_through_the_form(pilot_client, fiche):
    pilot_client.post(edit_url(fiche), fiche_post_data(fiche, titre="Titre revu en comité"))
    html = pilot_client.get(f"/contrats/{fiche.contrat_id}/fiches/1/historique/").content.decode()
    assert "Paule Pilote" in html
    assert "Titre de la fiche" in html
    assert "Fiche de test n°1" in html
    assert "Titre revu en comité" in html


def test_the_fiche_page_confirms_the_save(pilot_client, fiche):
    response = pilot_client.post(edit_url(fiche), fiche_post_data(fiche, titre="Revu"), follow=True)
    assert "Vos modifications ont été enregistrées." in response.content.decode()


def test_posting_the_unchanged_form_records_nothing(pilot_client, fiche):
    before = snapshot(fiche)
    response = pilot_client.post(edit_url(fiche), fiche_post_data(fiche))
    assert response.status_code == 302
    assert snapshot(fiche) == before
    assert (before["version"], before["revisions"]) == (1, 1)


def test_a_pilot_creates_a_fiche_through_the_form(pilot_client, pilote, contrat, fiche):
    data = fiche_post_data(fiche, numero=5, titre="Nouvelle action", version="")
    # Formulaire de création : aucune ligne existante.
    for relation in ("acteurs", "financements", "jalons", "indicateurs", "points_vigilance"):
        data = {k: v for k, v in data.items() if not k.startswith(f"{relation}-")}
        data[f"{relation}-TOTAL_FORMS"] = "1"
        data[f"{relation}-INITIAL_FORMS"] = "0"
    data["acteurs-0-nom"] = "Conseil départemental"
    # Comme un navigateur : les listes déroulantes de la ligne vide envoient leur choix par
    # défaut (unité « nombre », sans sens), la ligne reste inchangée et n'est pas créée.
    data["indicateurs-0-unite"], data["indicateurs-0-sens"] = "nombre", "aucun"
    response = pilot_client.post(f"/contrats/{contrat.pk}/fiches/nouvelle/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/contrats/{contrat.pk}/fiches/5/"
    created = FicheAction.objects.get(contrat=contrat, numero=5)
    assert created.titre == "Nouvelle action"
    assert list(created.acteurs.values_list("nom", flat=True)) == ["Conseil départemental"]
    [revision] = Revision.objects.for_object(created)
    assert (revision.source, revision.user) == (Revision.Source.CREATION, pilote)


# --- conflit de version -----------------------------------------------------------


def test_a_post_from_a_stale_version_is_refused_with_the_other_persons_change(
    pilot_client, contrat, fiche
):
    data = fiche_post_data(fiche, titre="Ma version du titre", constat="Mon constat.")
    other = UserFactory(first_name="Camille", last_name="Collègue")
    grant(other, contrat)
    fiche_update(
        fiche=fiche,
        user=other,
        expected_version=1,
        fields={"titre": "Titre changé par ma collègue"},
    )
    before = snapshot(fiche)

    response = pilot_client.post(edit_url(fiche), data)

    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "Vos modifications n'ont pas été enregistrées" in html
    assert "Titre changé par ma collègue" in html
    assert "Camille Collègue" in html
    # La saisie est conservée et le nouvel envoi partira de la version actuelle.
    assert "Ma version du titre" in html
    assert re.search(r'<input type="hidden" name="version" value="2"', html)
    assert snapshot(fiche) == before
    assert FicheAction.objects.get(pk=fiche.pk).titre == "Titre changé par ma collègue"


def test_resubmitting_after_a_conflict_saves_over_the_current_version(pilot_client, fiche):
    data = fiche_post_data(fiche, titre="Ma version du titre")
    fiche_update(fiche=fiche, user=None, expected_version=1, fields={"constat": "Par un autre."})
    assert pilot_client.post(edit_url(fiche), data).status_code == 409
    data["version"] = "2"
    data["constat"] = "Par un autre."
    assert pilot_client.post(edit_url(fiche), data).status_code == 302
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.titre, saved.constat, saved.version) == (
        "Ma version du titre",
        "Par un autre.",
        3,
    )


# --- erreurs de saisie ------------------------------------------------------------


def test_abandoning_without_a_reason_through_the_form_is_refused(pilot_client, fiche):
    before = snapshot(fiche)
    data = fiche_post_data(fiche, etat="abandonnee", motif_abandon="", titre="Changé")
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "Indiquez le motif de l'abandon de l'action." in text
    assert "Rien n'a été enregistré." in text
    assert snapshot(fiche) == before


def test_taking_the_number_of_another_fiche_through_the_form_is_refused(
    pilot_client, contrat, fiche
):
    make_fiche(contrat, numero=2)
    before = snapshot(fiche)
    response = pilot_client.post(edit_url(fiche), fiche_post_data(fiche, numero=2))
    assert response.status_code == 400
    assert "Le contrat a déjà une fiche n°2." in response.content.decode()
    assert snapshot(fiche) == before


def test_a_refused_renumbering_keeps_the_page_about_the_edited_fiche(pilot_client, contrat, fiche):
    make_fiche(contrat, numero=2)
    response = pilot_client.post(edit_url(fiche), fiche_post_data(fiche, numero=2))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<h1 class="fr-h2">Modifier la fiche action n°1</h1>' in html
    assert f'href="/contrats/{contrat.pk}/fiches/2/"' not in html


def test_an_invalid_list_row_through_the_form_is_refused(pilot_client, fiche):
    financements = existing_rows(fiche, "financements")
    financements[0]["montant"] = "beaucoup"
    before = snapshot(fiche)
    data = fiche_post_data(fiche, titre="Changé", lists={"financements": financements})
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 400
    assert snapshot(fiche) == before


# --- filtres de la page du contrat ---------------------------------------------------


@pytest.fixture
def filtered(contrat):
    """Quatre fiches aux objectifs, états, référents et jalons différents."""
    make_fiche(contrat, numero=1, objectifs=(1,), referent="Pôle cohésion sociale")
    f2 = make_fiche(
        contrat, numero=2, objectifs=(2,), etat="en_cours", referent="ARS", a_impact=True
    )
    f3 = make_fiche(contrat, numero=3, objectifs=(1, 2), etat="realisee", referent="ARS")
    f4 = make_fiche(contrat, numero=4, objectifs=(3,), etat="en_cours", referent="CAF")
    Jalon.objects.filter(fiche__in=[f2, f3]).update(date_prevue=PAST)
    Jalon.objects.filter(fiche=f4).update(date_prevue=FUTURE)
    return contrat


def listed(html: str) -> list[int]:
    return sorted(int(n) for n in re.findall(r"<strong>Fiche n°(\d+)</strong>", html))


def htmx_get(client, contrat, query: str):
    return client.get(f"/contrats/{contrat.pk}/?{query}", HTTP_HX_REQUEST="true")


def test_an_htmx_filter_request_returns_only_the_list_fragment(pilot_client, filtered):
    before = pilot_client.get(f"/contrats/{filtered.pk}/")
    response = htmx_get(pilot_client, filtered, "etat=en_cours")
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="liste-fiches"')
    assert "<html" not in html
    assert "Où en sont les" not in html  # la synthèse n'est pas renvoyée
    assert "2 fiches sur 4" in html
    assert_htmx_swap_matches_full_render(
        fill(before, etat="en_cours"),
        "//form[@hx-get]",
        response,
        pilot_client.get(f"/contrats/{filtered.pk}/?etat=en_cours"),
    )


def test_a_plain_filter_request_returns_the_whole_page(pilot_client, filtered):
    response = pilot_client.get(f"/contrats/{filtered.pk}/?etat=en_cours")
    html = response.content.decode()
    assert "<html" in html
    assert 'id="liste-fiches"' in html
    assert listed(html) == [2, 4]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("", [1, 2, 3, 4], id="no-filter"),
        pytest.param("objectif=1", [1, 3], id="objectif-1"),
        pytest.param("objectif=2", [2, 3], id="objectif-2"),
        pytest.param("objectif=5", [], id="objectif-without-fiche"),
        pytest.param("etat=en_cours", [2, 4], id="etat-en-cours"),
        pytest.param("etat=realisee", [3], id="etat-realisee"),
        pytest.param("etat=non_demarree", [1], id="etat-non-demarree"),
        pytest.param("etat=retard", [2], id="etat-retard"),
        pytest.param("referent=ARS", [2, 3], id="referent"),
        pytest.param("a_impact=on", [2], id="a-impact"),
        pytest.param("objectif=2&etat=en_cours", [2], id="objectif-and-etat"),
        pytest.param("referent=ARS&etat=retard", [2], id="referent-and-retard"),
    ],
)
def test_filters_select_the_matching_fiches(pilot_client, filtered, query, expected):
    html = htmx_get(pilot_client, filtered, query).content.decode()
    assert listed(html) == expected
    if not expected:
        assert "Aucune fiche ne correspond à ces critères." in html


def test_a_fiche_with_several_objectives_is_listed_once_under_its_group(pilot_client, filtered):
    html = htmx_get(pilot_client, filtered, "objectif=1").content.decode()
    assert html.count("<strong>Fiche n°3</strong>") == 1
    assert "Objectifs n°1 et 2" in html


def test_an_htmx_history_request_returns_only_the_history_fragment(pilot_client, fiche):
    fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "Revu"})
    response = pilot_client.get(
        f"/contrats/{fiche.contrat_id}/fiches/1/historique/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode().strip()
    assert html.startswith('<section id="historique"')
    assert "<html" not in html
    assert "Revu" in html
    page = pilot_client.get(f"/contrats/{fiche.contrat_id}/fiches/1/historique/")
    assert_htmx_swap_matches_full_render(
        page, "#historique", response, page, target="#historique", swap="outerHTML"
    )

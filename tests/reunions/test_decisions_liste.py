"""Liste des décisions du contrat : un pilote y applique ou y clôt une décision, selon
`Decision.actions_possibles` ; la liste se met à jour aux mêmes filtres (une décision
close quitte les « ouvertes »). En séance, une décision d'une réunion précédente close
quitte la rubrique des décisions ouvertes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.reunions import services
from pilotage.reunions.models import Decision
from tests.factories import make_comite_suivi, make_reunion
from tests.htmx import assert_htmx_swap_matches_full_render, parse_page, update_page_with_htmx
from tests.reunions.helpers import at, url

HTMX = {"HTTP_HX_REQUEST": "true"}


def _decision(reunion, numero, texte, auteur, **fields):
    return services.decision_create(
        point=reunion.points.get(fiche__numero=numero),
        auteur=auteur,
        fields={"categorie": "autre", "texte": texte} | fields,
    )


@pytest.fixture
def decisions(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(-100))
    return {
        "ajout": _decision(
            reunion,
            1,
            "Associer la CAF",
            pilote,
            categorie="acteurs",
            changement={"action": "ajouter_acteur", "nom": "CAF de la Creuse"},
        ),
        "simple": _decision(reunion, 2, "Réunir les partenaires de la PMI", pilote),
    }


def _address(contrat, **params):
    address = reverse("reunions:decisions", args=[contrat.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _buttons(tree, decision):
    """Les libellés visibles des boutons d'action de la ligne de la décision."""
    [row] = tree.xpath("//tr[.//a[contains(., $t)]]", t=decision.texte)
    return [b.text.strip() for b in row.xpath(".//button")]


def test_model_says_what_a_pilot_may_do_with_a_decision(decisions, pilote, lecteur):
    ajout, simple = decisions["ajout"], decisions["simple"]
    assert ajout.actions_possibles(pilote) == {"appliquer", "clore"}
    assert simple.actions_possibles(pilote) == {"clore"}
    assert ajout.actions_possibles(lecteur) == set()
    services.decision_apply(decision=ajout, user=pilote)
    ajout.refresh_from_db()
    assert ajout.actions_possibles(pilote) == {"clore"}
    services.decision_close(decision=ajout, user=pilote)
    ajout.refresh_from_db()
    assert ajout.actions_possibles(pilote) == set()


def test_pilot_sees_apply_and_close_buttons_reader_sees_none(
    client, contrat, decisions, pilote, lecteur
):
    client.force_login(pilote)
    tree = parse_page(client.get(_address(contrat)))
    assert _buttons(tree, decisions["ajout"]) == ["Appliquer à la fiche", "Clore"]
    assert _buttons(tree, decisions["simple"]) == ["Clore"]
    client.force_login(lecteur)
    tree = parse_page(client.get(_address(contrat)))
    assert not tree.xpath("//table//button")
    assert not tree.xpath("//th[.='Actions']")


def test_closing_from_the_list_removes_it_from_the_open_decisions(
    client, contrat, decisions, pilote
):
    simple = decisions["simple"]
    client.force_login(pilote)
    before = client.get(_address(contrat, statut="ouvertes"))
    close_url = reverse("reunions:decision_close", args=[contrat.pk, simple.pk])
    form = parse_page(before).xpath("//form[@hx-post=$u]", u=close_url)[0]
    data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert data["statut"] == "ouvertes" and data["vue"] == "liste"
    response = client.post(close_url, data, **HTMX)
    assert response.status_code == 200
    simple.refresh_from_db()
    assert not simple.est_ouverte and simple.close_par == pilote
    page = update_page_with_htmx(before, f"//form[@hx-post='{close_url}']", response)
    [liste] = page.xpath("//*[@id='liste-decisions']")
    assert simple.texte not in liste.text_content()
    assert decisions["ajout"].texte in liste.text_content()
    [status] = liste.xpath(".//*[@role='status']")
    assert "Décision close." in status.text_content()
    assert_htmx_swap_matches_full_render(
        before,
        f"//form[@hx-post='{close_url}']",
        response,
        client.get(_address(contrat, statut="ouvertes")),
        transient=["//*[@id='liste-decisions']//*[@role='status']"],
    )


def test_applying_from_the_list_changes_the_fiche_and_keeps_the_filters(
    client, contrat, decisions, pilote
):
    ajout = decisions["ajout"]
    client.force_login(pilote)
    before = client.get(_address(contrat, statut="toutes", fiche=1))
    apply_url = reverse("reunions:decision_apply", args=[contrat.pk, ajout.pk])
    form = parse_page(before).xpath("//form[@hx-post=$u]", u=apply_url)[0]
    data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    response = client.post(apply_url, data, **HTMX)
    assert response.status_code == 200
    ajout.refresh_from_db()
    assert ajout.est_appliquee
    assert ajout.point.fiche.acteurs.filter(nom="CAF de la Creuse").exists()
    page = update_page_with_htmx(before, f"//form[@hx-post='{apply_url}']", response)
    [liste] = page.xpath("//*[@id='liste-decisions']")
    assert "Décision appliquée à la fiche." in liste.text_content()
    assert decisions["simple"].texte not in liste.text_content()  # filtre fiche n°1 gardé
    assert _buttons(page, ajout) == ["Clore"]
    # Sans HTMX : retour à la liste, aux mêmes filtres.
    response = client.post(
        reverse("reunions:decision_close", args=[contrat.pk, ajout.pk]),
        {"vue": "liste", "next": data["next"], "statut": "toutes", "fiche": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == _address(contrat, statut="toutes", fiche=1)


def test_reader_cannot_apply_or_close_from_the_list(client, contrat, decisions, lecteur):
    client.force_login(lecteur)
    for name in ("decision_apply", "decision_close"):
        address = reverse(f"reunions:{name}", args=[contrat.pk, decisions["ajout"].pk])
        assert client.post(address, {"vue": "liste"}, **HTMX).status_code == 403
    assert Decision.objects.get(pk=decisions["ajout"].pk).est_ouverte


def test_previous_decision_closed_in_seance_leaves_the_open_decisions(
    client, contrat, pilote, fiches
):
    before_reunion = make_comite_suivi(
        contrat, pilote, when=timezone.now() - datetime.timedelta(days=200)
    )
    decision = _decision(before_reunion, 2, "Réunir les partenaires de la PMI", pilote)
    nxt = make_comite_suivi(contrat, pilote)
    client.force_login(pilote)
    page_before = client.get(url("seance_fiche", nxt, 2))
    close_url = reverse("reunions:decision_close", args=[contrat.pk, decision.pk])
    response = client.post(
        close_url, {f"c{decision.pk}-commentaire": "Fait", "courante": "0"}, **HTMX
    )
    assert response.status_code == 200
    page = update_page_with_htmx(page_before, f"//form[@hx-post='{close_url}']", response)
    [section] = page.xpath("//section[@aria-labelledby='ouvertes-titre']")
    assert not section.xpath(".//*[contains(@class, 'decision__texte')]")
    assert not section.xpath(".//form")
    [status] = section.xpath(".//*[@role='status']")
    assert "Décision close." in status.text_content()

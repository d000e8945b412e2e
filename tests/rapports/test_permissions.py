"""Droits sur les pages du rapport d'exécution : voir = voir le contrat (404 sinon) ;
chaque écriture suit `RapportExecution.actions_possibles` (403 sinon, rien d'écrit)."""

import pytest
from django.urls import reverse

from pilotage.rapports.models import (
    CommentaireSection,
    RapportExecution,
    SectionRapport,
    ValidationRapport,
)

BILAN = SectionRapport.Rubrique.BILAN


def _url(rapport, name="rapport", *args):
    return reverse(f"rapports:{name}", args=[rapport.contrat_id, rapport.annee, *args])


def _section(rapport, numero=1):
    return _url(rapport, "section", BILAN, numero)


def _texte(numero=1, texte="Bilan."):
    return {f"section-bilan_execution-{numero}-texte": texte}


@pytest.mark.parametrize("qui", ["autre_departement"])
def test_un_autre_departement_ne_voit_ni_la_liste_ni_le_rapport(client, request, rapport, qui):
    client.force_login(request.getfixturevalue(qui))
    assert client.get(reverse("rapports:liste", args=[rapport.contrat_id])).status_code == 404
    assert client.get(_url(rapport)).status_code == 404
    assert client.post(_section(rapport), _texte()).status_code == 404
    assert client.post(_url(rapport, "circuit"), {"action": "soumettre"}).status_code == 404


def test_une_personne_non_connectee_est_renvoyee_a_la_connexion(client, rapport):
    response = client.get(_url(rapport))
    assert response.status_code == 302 and "connexion" in response["Location"]


@pytest.mark.parametrize("qui", ["cd", "ddets", "ars", "referent", "lecteur"])
def test_toute_personne_du_contrat_lit_le_rapport(client, request, rapport, qui):
    client.force_login(request.getfixturevalue(qui))
    assert client.get(_url(rapport)).status_code == 200
    assert client.get(reverse("rapports:liste", args=[rapport.contrat_id])).status_code == 200


def test_une_annee_sans_rapport_ou_une_fiche_inconnue_repond_404(client, rapport, cd):
    client.force_login(cd)
    assert (
        client.get(reverse("rapports:rapport", args=[rapport.contrat_id, 2026])).status_code == 404
    )
    assert client.get(_section(rapport, 99)).status_code == 404
    assert client.get(_url(rapport, "section", "inconnue", 1)).status_code == 404
    assert client.get(_url(rapport, "action", "inconnue")).status_code == 404


@pytest.mark.parametrize("qui", ["ddets", "ars", "referent", "lecteur"])
def test_seul_un_pilote_du_cd_prepare_un_rapport(client, request, contrat, fiches, qui):
    client.force_login(request.getfixturevalue(qui))
    url = reverse("rapports:liste", args=[contrat.pk])
    assert "Préparer le rapport" not in client.get(url).content.decode()
    assert client.post(url, {"annee": "2025"}).status_code == 403
    assert not RapportExecution.objects.exists()


@pytest.mark.parametrize("qui", ["ddets", "ars", "referent", "lecteur"])
def test_seul_un_pilote_du_cd_redige_une_section(client, request, rapport, qui):
    client.force_login(request.getfixturevalue(qui))
    assert client.post(_section(rapport), _texte(), HTTP_HX_REQUEST="true").status_code == 403
    # Ouvrir la section en modification ne montre que sa lecture.
    fragment = client.get(_section(rapport), HTTP_HX_REQUEST="true").content.decode()
    assert "<form" not in fragment
    assert not SectionRapport.objects.exists()


def test_apres_l_arrete_meme_le_cd_ne_redige_plus(client, arrete, cd):
    client.force_login(cd)
    assert client.post(_section(arrete), _texte(texte="Réécrit.")).status_code == 403
    assert not SectionRapport.objects.filter(texte="Réécrit.").exists()


@pytest.mark.parametrize("qui", ["cd", "referent", "lecteur"])
def test_seuls_l_etat_et_l_ars_commentent(client, request, soumis, qui):
    client.force_login(request.getfixturevalue(qui))
    url = _url(soumis, "commentaire", BILAN, 1)
    response = client.post(url, {"c-section-bilan_execution-1-texte": "Avis."})
    assert response.status_code == 403
    assert not CommentaireSection.objects.exists()


@pytest.mark.parametrize("qui", ["referent", "lecteur"])
def test_ni_referent_ni_lecteur_ne_font_avancer_le_circuit(client, request, rapport, cd, qui):
    client.force_login(request.getfixturevalue(qui))
    url = _url(rapport, "circuit")
    assert client.post(url, {"action": "soumettre"}).status_code == 403
    rapport.statut = RapportExecution.Statut.SOUMIS
    rapport.save()
    assert client.post(url, {"action": "valider"}).status_code == 403
    assert not ValidationRapport.objects.exists()


def test_la_ddets_ne_corrige_pas_le_rapport_arrete(client, rapport, arrete, ddets):
    client.force_login(ddets)
    url = _url(arrete, "circuit")
    assert client.post(url, {"action": "corriger"}).status_code == 403
    arrete.refresh_from_db()
    assert (arrete.statut, arrete.version) == (RapportExecution.Statut.ARRETE, 1)


def test_la_page_ne_propose_que_les_actions_permises(client, soumis, cd, ddets, lecteur):
    client.force_login(ddets)
    page = client.get(_url(soumis)).content.decode()
    assert 'value="valider"' in page and "Commenter" in page and "Modifier<span" not in page
    assert "Valider pour État (préfecture, DDETS)" in page
    client.force_login(cd)
    page = client.get(_url(soumis)).content.decode()
    assert 'value="valider"' in page and "Modifier<span" in page and "Commenter<span" not in page
    client.force_login(lecteur)
    page = client.get(_url(soumis)).content.decode()
    assert 'name="action"' not in page and "Commenter<span" not in page

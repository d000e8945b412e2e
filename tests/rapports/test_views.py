"""Pages du rapport d'exécution : liste par année, page du rapport, sections rédigées
par HTMX (même adresse pour la page et le fragment, erreurs en place), commentaires,
circuit, différences de la version 2, nombre de requêtes borné."""

import html

import pytest
from django.urls import reverse

from pilotage.core.models import PersonalDataConfirmation
from pilotage.rapports import services
from pilotage.rapports.models import CommentaireSection, RapportExecution, SectionRapport
from tests.factories import make_fiche
from tests.htmx import assert_html_equal, parse_page, update_page_with_htmx

BILAN = SectionRapport.Rubrique.BILAN
HISTORIQUE = '//section[@aria-labelledby="historique-titre"]'


def _text(response) -> str:
    """Le HTML de la réponse, entités décodées (« d'exécution » plutôt que « d&#x27; »)."""
    return html.unescape(response.content.decode())


def _url(rapport, *args, name="rapport"):
    return reverse(f"rapports:{name}", args=[rapport.contrat_id, rapport.annee, *args])


def _section_url(rapport, numero, rubrique=BILAN):
    return _url(rapport, rubrique, numero, name="section")


def _post_data(rapport, numero, texte, rubrique=BILAN, **extra):
    prefix = f"section-{rubrique}-{numero}"
    return {f"{prefix}-texte": texte, f"{prefix}-version": 1, **extra}


# --- Liste et préparation ------------------------------------------------------------


def test_la_page_du_contrat_mene_aux_rapports(client, contrat, cd):
    client.force_login(cd)
    response = client.get(reverse("contrats:contrat", args=[contrat.pk]))
    assert reverse("rapports:liste", args=[contrat.pk]) in _text(response)


def test_un_pilote_du_cd_prepare_le_rapport_de_l_annee(client, contrat, cd, fiches):
    client.force_login(cd)
    url = reverse("rapports:liste", args=[contrat.pk])
    page = _text(client.get(url))
    assert "Préparer le rapport 2026" in page and "Préparer le rapport 2025" in page
    assert "Préparer le rapport 2027" not in page
    response = client.post(url, {"annee": "2026"})
    rapport = RapportExecution.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(rapport)
    assert rapport.annee == 2026
    assert "Préparer le rapport 2026" not in _text(client.get(url))


def test_une_annee_hors_du_contrat_est_refusee_en_place(client, contrat, cd):
    client.force_login(cd)
    response = client.post(reverse("rapports:liste", args=[contrat.pk]), {"annee": "2031"})
    assert response.status_code == 400
    assert "Choisissez une année du contrat sans rapport." in _text(response)
    assert not RapportExecution.objects.exists()


def test_la_liste_montre_chaque_rapport_et_son_etat(client, contrat, ddets, arrete):
    client.force_login(ddets)
    page = _text(client.get(reverse("rapports:liste", args=[contrat.pk])))
    assert "Rapport 2025" in page and "Arrêté" in page and "Version 1 arrêtée le" in page
    assert "Préparer le rapport" not in page


# --- Page du rapport -----------------------------------------------------------------


def test_la_page_montre_les_sections_de_chaque_fiche_et_les_actions_du_pilote(
    client, rapport, cd, fiches
):
    client.force_login(cd)
    page = _text(client.get(_url(rapport)))
    for fiche in fiches:
        assert f"Fiche n°{fiche.numero} – {fiche.titre}" in page
        assert _section_url(rapport, fiche.numero) in page
    assert "Action la plus pertinente – ONDAM médico-social" in page
    assert "Soumettre à l'État et à l'ARS" in page


def test_un_lecteur_voit_le_rapport_sans_aucune_action(client, rapport, lecteur, fiches):
    client.force_login(lecteur)
    response = client.get(_url(rapport))
    page = _text(response)
    assert response.status_code == 200
    assert "Modifier<span" not in page and 'name="action"' not in page


def test_modifier_une_section_par_htmx_rend_le_fragment_comme_la_page(client, rapport, cd, fiches):
    client.force_login(cd)
    url = _section_url(rapport, 2)
    page = client.get(_url(rapport))
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<form" in _text(form)
    avec_form = update_page_with_htmx(page, f'//a[@hx-get="{url}"]', form)
    saved = client.post(url, _post_data(rapport, 2, "Bilan rédigé."), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "Bilan d'exécution : enregistré." in _text(saved)
    after = update_page_with_htmx(avec_form, f'//form[@hx-post="{url}"]', saved)
    expected = _text(client.get(_url(rapport)))
    # La page rechargée n'a pas l'annonce de l'enregistrement ; le reste est identique.
    # L'historique, en bas de page, se met à jour au rechargement.
    expected = parse_page(expected)
    for tree, xpath in (
        (after, '//p[@role="status"]'),
        (after, HISTORIQUE),
        (expected, HISTORIQUE),
    ):
        for element in tree.xpath(xpath):
            element.getparent().remove(element)
    assert_html_equal(after, expected)
    assert SectionRapport.objects.get(fiche=fiches[1]).texte == "Bilan rédigé."


def test_sans_javascript_la_section_s_ouvre_dans_la_page_et_s_enregistre(
    client, rapport, cd, fiches
):
    client.force_login(cd)
    url = _section_url(rapport, 1)
    page = _text(client.get(url))
    assert "<h1" in page and f'action="{url}"' in page
    response = client.post(url, _post_data(rapport, 1, "Bilan sans script."))
    assert response.status_code == 302
    assert response["Location"] == _url(rapport) + "#section-bilan_execution-1"


def test_un_texte_trop_long_est_refuse_en_place(client, rapport, cd, fiches):
    client.force_login(cd)
    url = _section_url(rapport, 1)
    data = _post_data(rapport, 1, "x" * 20_001)
    fragment = client.post(url, data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 400
    assert "raccourcissez-le" in _text(fragment)
    assert "<h1" not in _text(fragment)
    page = client.post(url, data)
    assert page.status_code == 400 and "<h1" in _text(page)
    assert "raccourcissez-le" in _text(page)
    assert not SectionRapport.objects.exists()


def test_une_modification_concurrente_est_signalee_en_place(client, rapport, cd, fiches):
    services.section_save(rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="A")
    client.force_login(cd)
    response = client.post(
        _section_url(rapport, 1), _post_data(rapport, 1, "B"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "modifié par une autre personne" in _text(response)
    assert SectionRapport.objects.get().texte == "A"


def test_des_donnees_personnelles_sont_signalees_avant_l_enregistrement(
    client, rapport, cd, fiches
):
    client.force_login(cd)
    url = _section_url(rapport, 1)
    texte = "Appeler Mme Dupont au 06 12 34 56 78."
    response = client.post(url, _post_data(rapport, 1, texte), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Données personnelles possibles" in _text(response)
    assert not SectionRapport.objects.exists()
    confirme = _post_data(
        rapport, 1, texte, **{"section-bilan_execution-1-confirm_personal_data": "on"}
    )
    assert client.post(url, confirme, HTTP_HX_REQUEST="true").status_code == 200
    section = SectionRapport.objects.get()
    assert section.texte == texte
    assert PersonalDataConfirmation.objects.get().object_id == section.pk


def test_un_commentaire_de_la_ddets_s_affiche_sous_la_section(client, soumis, ddets, fiches):
    client.force_login(ddets)
    url = _url(soumis, BILAN, 3, name="commentaire")
    data = {"c-section-bilan_execution-3-texte": "Préciser le nombre de familles."}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Préciser le nombre de familles." in _text(response)
    assert CommentaireSection.objects.get().institution == ddets.institution
    vide = client.post(url, {"c-section-bilan_execution-3-texte": ""}, HTTP_HX_REQUEST="true")
    assert vide.status_code == 400 and "Écrivez votre commentaire." in _text(vide)


def test_le_circuit_se_parcourt_depuis_la_page(client, rapport, cd, ddets, ars):
    url = _url(rapport, name="circuit")
    client.force_login(cd)
    assert client.post(url, {"action": "soumettre"}).status_code == 302
    for user in (ddets, ars, cd):
        client.force_login(user)
        client.post(url, {"action": "valider"})
    rapport.refresh_from_db()
    assert rapport.statut == RapportExecution.Statut.VALIDE
    page = _text(client.get(_url(rapport)))
    assert "Arrêter le rapport" in page and "DDETS de la Creuse" in page
    client.post(url, {"action": "arreter"})
    rapport.refresh_from_db()
    assert rapport.statut == RapportExecution.Statut.ARRETE


def test_une_etape_impossible_est_expliquee(client, rapport, cd):
    client.force_login(cd)
    response = client.post(_url(rapport, name="circuit"), {"action": "arreter"}, follow=True)
    assert "Seul un rapport validé par les trois parties peut être arrêté." in _text(response)
    response = client.post(_url(rapport, name="circuit"), {"action": "inconnue"}, follow=True)
    assert "Action inconnue" in _text(response)


def test_la_version_2_montre_les_mots_changes_depuis_la_version_1(client, arrete, cd, fiches):
    services.rapport_corriger(rapport=arrete, user=cd)
    client.force_login(cd)
    # Textes : vide en version 1 pour la fiche 2 ; la fiche 1 rédigée puis corrigée.
    arrete.refresh_from_db()
    page = _text(client.get(_url(arrete)))
    assert "Correction de la version 1 arrêtée" in page
    assert "Aucune section n'a encore été modifiée." in page
    services.section_save(
        rapport=arrete, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Bilan complet corrigé."
    )
    page = _text(client.get(_url(arrete)))
    assert "1 section modifiée depuis" in page
    assert "Modifié depuis la version 1 arrêtée" in page


def test_la_version_2_surligne_les_mots_changes(client, contrat, cd, ddets, ars, fiches):
    rapport = services.rapport_create(contrat=contrat, annee=2025, user=cd)
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=BILAN,
        fiche=fiches[0],
        texte="Vingt familles accompagnées cette année.",
    )
    services.rapport_submit(rapport=rapport, user=cd)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=rapport, user=user)
    services.rapport_arreter(rapport=rapport, user=cd)
    services.rapport_corriger(rapport=rapport, user=cd)
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=BILAN,
        fiche=fiches[0],
        texte="Trente familles accompagnées cette année.",
    )
    client.force_login(cd)
    page = _text(client.get(_url(rapport)))
    assert "[supprimé : </span>Vingt" in page and "[ajouté : </span>Trente" in page


# --- Nombre de requêtes --------------------------------------------------------------


@pytest.mark.parametrize("nombre", [5, 20])
def test_la_page_du_rapport_coute_autant_de_requetes_quel_que_soit_le_nombre_de_fiches(
    client, contrat, cd, ddets, django_assert_max_num_queries, nombre
):
    fiches = [make_fiche(contrat, n, user=cd) for n in range(1, nombre + 1)]
    rapport = services.rapport_create(contrat=contrat, annee=2025, user=cd)
    for fiche in fiches:
        for rubrique in (BILAN, SectionRapport.Rubrique.PERSPECTIVES):
            services.section_save(
                rapport=rapport, user=cd, rubrique=rubrique, fiche=fiche, texte="Texte."
            )
    services.rapport_submit(rapport=rapport, user=cd)
    for fiche in fiches:
        services.section_comment(
            rapport=rapport, user=ddets, rubrique=BILAN, fiche=fiche, texte="Commentaire."
        )
    services.rapport_validate(rapport=rapport, user=ddets)
    client.force_login(ddets)
    client.get(_url(rapport))  # sessions, caches
    # Environ 30 : session, contrat, rapport et ses tables, fiches, historique, contenu
    # calculé (une quinzaine, fixe), menu et tâches ; 20 fiches coûtent autant que 5.
    with django_assert_max_num_queries(35):
        response = client.get(_url(rapport))
    assert response.status_code == 200

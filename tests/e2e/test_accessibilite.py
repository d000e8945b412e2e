"""Accessibilité mesurée : axe-core passe sur chaque type de page, vu par le rôle qui s'en
sert (démonstration de la Creuse). Aucune violation grave ni critique n'est admise ; le
tableau de toutes les violations (page × impact) s'affiche en fin de session.

Les critères RGAA que ces contrôles couvrent, et ceux qui restent à vérifier à la main,
sont listés dans la déclaration d'accessibilité (pilotage/templates/core/accessibilite.html)."""

import re

import pytest
from playwright.sync_api import expect

from tests.documents.docx_builder import FicheSpec, build_docx
from tests.e2e.test_parcours_seance import _reunion

PASSWORD = "demo-pilotage-2025"


@pytest.fixture
def session(browser, live_server):
    """Ouvre une session (contexte de navigateur à part, 1280×720) pour un compte ; rend sa page."""
    contexts = []

    def _open(email=None, color_scheme="light"):
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 720}, color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if email:
            page.goto(f"{live_server.url}/comptes/connexion/")
            page.fill("input[name=username]", email)
            page.fill("input[name=password]", PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield _open
    for context in contexts:
        context.close()


def _visit(page, axe, url, name):
    response = page.goto(url)
    assert response is not None and response.ok, f"{name} : {url} a répondu {response.status}"
    axe.audit(page, name)


def test_public_pages_have_no_serious_violation(demo, session, axe, live_server, mailoutbox):
    page = session()
    base = live_server.url
    _visit(page, axe, f"{base}/comptes/connexion/", "Connexion")
    page.fill("input[name=username]", "inconnu@example.fr")
    page.fill("input[name=password]", "mauvais-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".fr-alert--error, .fr-error-text").first).to_be_visible()
    axe.audit(page, "Connexion (erreur)")
    _visit(page, axe, f"{base}/comptes/mot-de-passe/oublie/", "Mot de passe oublié")
    _visit(page, axe, f"{base}/accessibilite/", "Déclaration d'accessibilité")
    _visit(page, axe, f"{base}/mentions-legales/", "Mentions légales")
    _visit(page, axe, f"{base}/donnees-personnelles/", "Données personnelles")
    # L'invitation de la démonstration : le lien à usage unique est dans le courriel.
    lien = re.search(r"/invitations/[^/\s]+/", mailoutbox[-1].body).group(0)
    _visit(page, axe, f"{base}{lien}", "Invitation (acceptation)")
    page.goto(f"{base}/invitations/jeton-inconnu/")
    axe.audit(page, "Invitation invalide")
    page.goto(f"{base}/page-qui-n-existe-pas/")
    axe.audit(page, "Page introuvable (404)")
    axe.assert_no_blocking()


def test_pilot_pages_have_no_serious_violation(demo, session, axe, live_server):
    page = session("pilote.cd@demo.pilotage.test")
    base = f"{live_server.url}/contrats/{demo.pk}"
    fiche = f"{base}/fiches/1"
    axe.audit(page, "Accueil (Mes contrats)")
    _visit(page, axe, f"{base}/", "Contrat")
    _visit(page, axe, f"{fiche}/", "Fiche")
    _visit(page, axe, f"{fiche}/indicateurs/", "Fiche – indicateurs")
    _visit(page, axe, f"{fiche}/releves/", "Fiche – relevés")
    _visit(page, axe, f"{fiche}/collecte/", "Fiche – collecte")
    _visit(page, axe, f"{fiche}/calendrier/", "Fiche – calendrier")
    _visit(page, axe, f"{fiche}/historique/", "Fiche – historique")
    _visit(page, axe, f"{fiche}/modifier/", "Fiche – modifier")
    page.locator("input[name=titre]").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-error-text").first).to_be_visible()
    axe.audit(page, "Fiche – modifier (erreurs)")
    _visit(page, axe, f"{base}/fiches/nouvelle/", "Fiche – créer")
    _visit(page, axe, f"{base}/import/", "Import (dépôt)")

    reunion = demo.reunions.order_by("date").first()
    _visit(page, axe, f"{base}/reunions/", "Réunions")
    _visit(page, axe, f"{base}/reunions/nouvelle/", "Réunion – créer")
    _visit(page, axe, f"{base}/reunions/{reunion.pk}/", "Réunion")
    _visit(page, axe, f"{base}/reunions/{reunion.pk}/modifier/", "Réunion – modifier")
    _visit(page, axe, f"{base}/reunions/{reunion.pk}/dossier/", "Dossier de préparation")
    _visit(page, axe, f"{base}/reunions/{reunion.pk}/compte-rendu/", "Compte rendu")
    _visit(page, axe, f"{base}/decisions/", "Décisions")

    _visit(page, axe, f"{base}/acces/", "Personnes et droits")
    page.get_by_role("button", name="Envoyer l'invitation", exact=True).click()
    expect(page.locator(".fr-error-text").first).to_be_visible()
    axe.audit(page, "Personnes et droits – inviter (erreurs)")
    _visit(page, axe, f"{base}/acces/historique/", "Personnes et droits – historique")
    _visit(page, axe, f"{base}/journal/", "Journal du contrat")

    _visit(page, axe, f"{live_server.url}/taches/", "Mes tâches (pilote)")
    _visit(page, axe, f"{live_server.url}/referentiel/", "Référentiel national")
    _visit(page, axe, f"{live_server.url}/calendrier/abonnements/", "Abonnements d'agenda")
    _visit(page, axe, f"{live_server.url}/comptes/", "Mon compte")
    _visit(page, axe, f"{live_server.url}/comptes/mot-de-passe/", "Changer de mot de passe")
    _visit(
        page,
        axe,
        f"{live_server.url}/comptes/double-authentification/activer/",
        "Double authentification – activer",
    )

    # La séance d'une réunion en cours (notes et décisions modifiables).
    seance = _reunion(demo)
    _visit(page, axe, f"{base}/reunions/{seance.pk}/seance/", "Séance")
    axe.assert_no_blocking()


def test_contributor_and_validator_pages_have_no_serious_violation(demo, session, axe, live_server):
    from pilotage.suivi.models import Releve

    page = session("contributeur@demo.pilotage.test")
    base = f"{live_server.url}/contrats/{demo.pk}"
    axe.audit(page, "Accueil (contributeur)")
    _visit(page, axe, f"{live_server.url}/taches/", "Mes tâches (contributeur)")
    _visit(page, axe, f"{base}/fiches/1/releves/nouveau/", "Relevé – créer")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".fr-error-text").first).to_be_visible()
    axe.audit(page, "Relevé – créer (erreurs)")
    releve = Releve.objects.filter(fiche__contrat=demo).order_by("pk").first()
    _visit(page, axe, f"{base}/releves/{releve.pk}/", "Relevé (contributeur)")

    page = session("validateur@demo.pilotage.test")
    _visit(page, axe, f"{base}/releves/{releve.pk}/", "Relevé (validateur)")
    page = session("lecteur@demo.pilotage.test")
    _visit(page, axe, f"{base}/fiches/1/", "Fiche (lecteur)")
    axe.assert_no_blocking()


def test_national_and_import_pages_have_no_serious_violation(
    demo, session, axe, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = session("national@demo.pilotage.test")
    _visit(page, axe, f"{live_server.url}/journal/", "Journal national des accès")
    _visit(page, axe, f"{live_server.url}/administration/perimetres/", "Périmètres")

    document = tmp_path / "fiches.docx"
    document.write_bytes(
        build_docx([FicheSpec(numero=3, titre="Développer l'accueil familial de proximité")])
    )
    page = session("pilote.41@demo.pilotage.test")
    page.get_by_role("link", name=re.compile("^Loir-et-Cher")).click()
    page.get_by_role("link", name="Importer des fiches (Word)").click()
    page.set_input_files("input[type=file]", str(document))
    page.get_by_role("button", name="Lire le document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'import")
    axe.audit(page, "Import – aperçu")
    axe.assert_no_blocking()


def test_dark_theme_pages_have_no_serious_violation(demo, session, axe, live_server):
    """Thème sombre (celui du système, que le DSFR suit) : contrastes des styles propres
    au service (graphiques, vue calendaire, historique)."""
    page = session("pilote.cd@demo.pilotage.test", color_scheme="dark")
    base = f"{live_server.url}/contrats/{demo.pk}"
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")
    axe.audit(page, "Sombre – accueil")
    for path, name in [
        ("/", "Sombre – contrat"),
        ("/fiches/1/", "Sombre – fiche"),
        ("/fiches/1/indicateurs/", "Sombre – fiche, indicateurs"),
        ("/fiches/1/calendrier/", "Sombre – fiche, calendrier"),
        ("/fiches/1/historique/", "Sombre – fiche, historique"),
        ("/reunions/", "Sombre – réunions"),
    ]:
        _visit(page, axe, f"{base}{path}", name)
    axe.assert_no_blocking()

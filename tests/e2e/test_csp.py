"""Content-Security-Policy vérifiée dans Chromium : chaque type de page s'affiche sans
aucune violation, et un script en ligne injecté sans le nonce ne s'exécute pas."""

from django.urls import reverse

from pilotage.reunions.models import Reunion
from pilotage.suivi.models import Releve


def page_urls(contrat) -> list[str]:
    reunion = Reunion.objects.filter(contrat=contrat, statut="figee").first()
    releve = Releve.objects.filter(fiche__contrat=contrat).first()
    c, f, r = contrat.pk, 1, reunion.pk
    return [
        reverse("contrats:accueil"),
        reverse("contrats:contrat", args=[c]),
        reverse("contrats:fiche", args=[c, f]),
        reverse("contrats:fiche_historique", args=[c, f]),
        reverse("contrats:fiche_edit", args=[c, f]),
        reverse("reunions:fiche_calendrier", args=[c, f]),
        reverse("suivi:indicateurs", args=[c, f]),
        reverse("suivi:releves", args=[c, f]),
        reverse("suivi:releve", args=[c, releve.pk]),
        reverse("suivi:mes_taches"),
        reverse("reunions:list", args=[c]),
        reverse("reunions:detail", args=[c, r]),
        reverse("reunions:seance", args=[c, r]),
        reverse("reunions:dossier", args=[c, r]),
        reverse("reunions:compte_rendu", args=[c, r]),
        reverse("reunions:decisions", args=[c]),
        reverse("documents:import_upload", args=[c]),
        reverse("referentiel:index"),
    ]


def test_no_page_type_violates_the_content_security_policy(demo, login, live_server):
    page = login("pilote.cd@demo.pilotage.test")
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for url in page_urls(demo):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
    assert violations == []


def test_an_injected_inline_script_without_the_nonce_does_not_run(demo, login, live_server):
    page = login("pilote.cd@demo.pilotage.test")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injecte = true";
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("() => window.injecte === true") is False

"""Le rapport d'exécution de bout en bout : préparé depuis la page du contrat par le
pilote du Conseil départemental, un bilan rédigé (fragment HTMX), soumis, validé par les
trois institutions, arrêté, puis, ses fichiers produits en tâche de fond (la page suit leur
production), téléchargé en Word et relu."""

import io
import re

import docx
from playwright.sync_api import expect

from .conftest import PASSWORD

CD, DDETS, ARS = (
    "pilote.cd@demo.pilotage.test",
    "pilote.ddets@demo.pilotage.test",
    "pilote.ars@demo.pilotage.test",
)
BILAN = "Bilan rédigé en comité : l'action a trouvé son public (texte d'essai, inventé)."


def _session(browser, live_server, email):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _prepare_and_write(page, live_server, contrat, axe):
    page.goto(f"{live_server.url}/contrats/{contrat.pk}/")
    page.get_by_role("link", name="Rapports d'exécution").click()
    axe.audit(page, "Rapports d'exécution (liste)")
    page.get_by_role("button", name=re.compile(r"^Préparer le rapport \d{4}$")).first.click()
    expect(page).to_have_url(re.compile(r"/rapports/\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'exécution")
    axe.audit(page, "Rapport d'exécution")
    page.get_by_role("link", name=re.compile(r"^Modifier : Bilan d'exécution, fiche n°1$")).click()
    section = page.locator(".rapport-section", has=page.locator("form textarea"))
    textarea = section.locator("textarea")
    expect(textarea).to_be_visible()
    textarea.fill(BILAN)
    section.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(BILAN)).to_be_visible()
    return page.url


def test_report_is_prepared_written_validated_by_three_parties_and_downloaded(
    demo, browser, live_server, axe, tasks_worker
):
    ctx, page = _session(browser, live_server, CD)
    url = _prepare_and_write(page, live_server, demo, axe)
    page.get_by_role("button", name="Soumettre à l'État et à l'ARS").click()
    page.get_by_role("button", name=re.compile("^Valider pour")).click()
    ctx.close()

    for email in (DDETS, ARS):
        ctx, page = _session(browser, live_server, email)
        page.goto(url)
        page.get_by_role("button", name=re.compile("^Valider pour")).click()
        expect(page.locator("#circuit")).to_be_visible()
        if email == ARS:
            page.get_by_role("button", name="Arrêter le rapport").click()
            expect(page.locator("#circuit")).to_contain_text("Version 1, arrêtée le")
            # Les fichiers de la version arrêtée sont produits en tâche de fond : la
            # rubrique « Télécharger » montre leur production, puis, le travailleur passé,
            # se met à jour d'elle-même (HTMX) avec les liens.
            telecharger = page.locator("#telecharger")
            expect(telecharger.get_by_role("status").first).to_contain_text("en attente")
            axe.audit(page, "Rapport d'exécution (fichiers en production)")
            tasks_worker()
            word = telecharger.get_by_role("link", name=re.compile(r"^Word \(\.docx\)"))
            expect(word).to_be_visible()
            expect(telecharger.get_by_role("status")).to_have_count(0)
            with page.expect_download() as info:
                word.click()
            with open(info.value.path(), "rb") as fichier:
                document = docx.Document(io.BytesIO(fichier.read()))
            texte = "\n".join(p.text for p in document.paragraphs)
            assert BILAN in texte
        ctx.close()
    axe.assert_no_blocking()

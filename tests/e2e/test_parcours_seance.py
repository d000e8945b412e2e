"""Une séance projetée : un pilote parcourt les fiches au clavier, prend des notes
enregistrées au fil de la frappe, consigne un transfert de crédits, l'applique, puis le
retrouve dans la vue calendaire et l'historique de la fiche."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect


def _reunion(contrat):
    """Comité de suivi commencé il y a une demi-heure, fiches 1 à 3 à l'ordre du jour."""
    from pilotage.comptes.models import User
    from pilotage.reunions import services
    from pilotage.reunions.models import Reunion

    pilote = User.objects.get(email="pilote.cd@demo.pilotage.test")
    # Sans les réunions de la démonstration : leurs décisions ouvertes ajouteraient des fiches.
    contrat.reunions.all().delete()
    reunion = services.reunion_create(
        contrat=contrat,
        user=pilote,
        fields={
            "date": timezone.now() - datetime.timedelta(minutes=30),
            "type": Reunion.Type.COMITE_SUIVI,
            "ordre_du_jour": Reunion.OrdreDuJour.SELECTION,
        },
        selection=list(contrat.fiches.filter(numero__in=[1, 2, 3])),
    )
    reunion.points.filter(fiche__numero=2).update(duree_minutes=10)
    return reunion


def test_pilot_runs_a_session_records_notes_and_applies_a_transfer(demo, login, live_server):
    reunion = _reunion(demo)
    page = login("pilote.cd@demo.pilotage.test")
    base = f"{live_server.url}/contrats/{demo.pk}"
    seance = f"{base}/reunions/{reunion.pk}/seance/"

    page.goto(seance)
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 1 sur 3")
    expect(page.locator("#seance-titre")).to_contain_text("Fiche action n°1")

    # Première fiche : un élément positif, enregistré au fil de la frappe.
    page.locator("#note-positifs").fill("Convention signée avec la maternité.")
    expect(page.locator("#note-statut-positifs")).to_contain_text("Enregistré à")
    page.locator("#seance-titre").focus()  # le clavier navigue hors des zones de saisie

    # Au clavier, fiche par fiche (la page n'est pas rechargée : HTMX remplace la fiche).
    page.keyboard.press("ArrowRight")
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 2 sur 3")
    expect(page).to_have_url(re.compile(r"/seance/2/$"))
    expect(page).to_have_title(re.compile(r"fiche n°2 — Pilotage partagé$"))  # onglet à jour
    page.keyboard.press("s")
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 3 sur 3")
    page.keyboard.press("p")
    expect(page.locator(".seance-bandeau__position")).to_have_text("Fiche 2 sur 3")
    expect(page.locator("#seance-titre")).to_contain_text("Fiche action n°2")
    expect(page.locator(".seance-minuteur__prevu")).to_contain_text("10 min prévues")
    page.get_by_role("button", name="Démarrer le minuteur").click()
    expect(page.get_by_role("button", name="Arrêter le minuteur")).to_be_visible()

    # Les deux encarts, enregistrés au fil de la frappe.
    page.locator("#note-positifs").fill("Les partenaires se sont approprié")
    expect(page.locator("#note-statut-positifs")).to_contain_text("Enregistré à")
    page.locator("#note-ameliorations").fill("Mieux associer l'Éducation nationale.")
    expect(page.locator("#note-statut-ameliorations")).to_contain_text("Enregistré à")
    # Connexion perdue : le texte reste, l'enregistrement repart au retour du réseau.
    page.context.set_offline(True)
    page.locator("#note-positifs").fill("Les partenaires se sont approprié l'action.")
    expect(page.locator("#note-statut-positifs")).to_contain_text("Non enregistré")
    page.context.set_offline(False)
    expect(page.locator("#note-statut-positifs")).to_contain_text("Enregistré à")
    page.reload()
    expect(page.locator("#note-positifs")).to_have_value(
        "Les partenaires se sont approprié l'action."
    )
    expect(page.locator("#note-ameliorations")).to_have_value(
        "Mieux associer l'Éducation nationale."
    )

    # Enregistrement refusé par le réseau puis page rechargée : la copie gardée dans le
    # navigateur revient dans la zone de saisie et part aussitôt.
    page.route("**/notes/ameliorations/", lambda route: route.abort())
    page.locator("#note-ameliorations").fill("Associer aussi les centres sociaux.")
    expect(page.locator("#note-statut-ameliorations")).to_contain_text("Non enregistré")
    page.unroute("**/notes/ameliorations/")
    page.reload()
    expect(page.locator("#note-ameliorations")).to_have_value("Associer aussi les centres sociaux.")
    expect(page.locator("#note-statut-ameliorations")).to_contain_text("Enregistré à")
    page.reload()
    expect(page.locator("#note-ameliorations")).to_have_value("Associer aussi les centres sociaux.")

    # Décision « moyens financiers » : transfert de 5 000 € vers la fiche n°3.
    page.get_by_label("Type de décision").select_option("moyens")
    # Bouton radio du DSFR : on clique sur son libellé, comme à la souris.
    page.locator("label", has_text="Transférer un montant vers une autre fiche").click()
    expect(page.get_by_label("Transférer un montant vers une autre fiche")).to_be_checked()
    page.get_by_role("textbox", name=re.compile(r"^Décision")).fill(
        "Redéployer 5 000 € de crédits État vers la fiche n°3"
    )
    page.get_by_label("Qui la porte").fill("DDETS")
    page.get_by_label("Montant en euros").fill("5000")
    page.get_by_label("Financeur").select_option("etat")
    page.get_by_label("Année").fill("2026")
    page.get_by_label("Fiche qui reçoit le montant (transfert)").select_option("3")
    page.get_by_role("button", name="Consigner la décision").click()
    decision = page.locator(".decision", has_text="Redéployer 5 000 €")
    expect(decision).to_contain_text("Transférer 5\u202f000\u00a0€ (État, 2026) vers la fiche n°3")

    decision.get_by_role("button", name="Appliquer à la fiche").click()
    expect(decision).to_contain_text("Appliquée le")
    decision.get_by_role("link", name="voir dans l'historique").click()
    expect(page).to_have_url(re.compile(r"/fiches/2/historique/#revision-\d+$"))
    expect(page.locator(".revision").first).to_contain_text(
        f"Décision de la réunion {reunion.titre}"
    )

    # La vue calendaire de la fiche montre la décision dans la colonne de la réunion.
    page.goto(f"{base}/fiches/2/calendrier/")
    expect(page.locator(".cal-decision", has_text="Redéployer 5 000 €").first).to_be_visible()

    # La fiche qui reçoit le montant renvoie elle aussi à la réunion.
    page.goto(f"{base}/fiches/3/historique/")
    expect(page.locator(".revision").first).to_contain_text("prise sur la fiche n°2")

    # Le compte rendu reprend ce qui a été consigné sur les deux fiches.
    page.goto(f"{base}/reunions/{reunion.pk}/compte-rendu/")
    expect(page.get_by_text("Convention signée avec la maternité.")).to_be_visible()
    expect(page.get_by_text("Les partenaires se sont approprié l'action.")).to_be_visible()
    expect(page.get_by_text("Redéployer 5 000 € de crédits État vers la fiche n°3")).to_be_visible()

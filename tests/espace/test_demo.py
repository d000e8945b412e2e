"""Contenu de départ de l'espace partagé chargé par la démonstration."""

import io

import docx
from django.urls import reverse

from pilotage.core import files
from pilotage.demo.services.espace import espace_demo_load
from pilotage.espace.models import Actualite, Espace, Proposition, Ressource


def _texte_docx(version) -> str:
    with version.fichier.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    cellules = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cellules)


def test_l_espace_national_porte_le_guide_et_le_modele(demo_data):
    national = Espace.objects.get(cle="national")
    ressources = {r.titre: r for r in national.ressources.select_related("rubrique")}
    guide = ressources["Guide en 5 étapes pour compléter les indicateurs qualitatifs"]
    releve = ressources["Modèle de fiche de relevé (modèle synthétique)"]
    assert guide.rubrique.nom == "Méthodes"
    assert releve.rubrique.nom == "Modèles"
    assert any(t.startswith("Synthèse des recommandations") for t in ressources)
    texte = _texte_docx(guide.fichiers.get())
    assert "5. Exploitation et valorisation" in texte
    assert "Relire collectivement les relevés" in texte
    assert guide.fichiers.get().type_contenu == files.DOCX
    assert "Faits concrets / restitutions" in _texte_docx(releve.fichiers.get())
    assert national.ressource_du_trimestre == guide


def test_un_retour_d_experience_invente_en_nouvelle_aquitaine(demo_data):
    espace = Espace.objects.get(region__nom="Nouvelle-Aquitaine")
    ressource = espace.ressources.get()
    assert ressource.rubrique.nom == "Retours d'expérience"
    assert "exemple inventé" in ressource.titre
    assert "Exemple inventé" in _texte_docx(ressource.fichiers.get())


def test_une_actualite_et_une_proposition_avec_sa_reponse(demo_data):
    assert Actualite.objects.filter(espace__cle="national").count() == 1
    proposition = Proposition.objects.get()
    assert proposition.statut == Proposition.Statut.A_L_ETUDE
    assert proposition.reponse and proposition.repondu_par.email == "national@demo.pilotage.test"


def test_recharger_ne_change_rien(demo_data):
    avant = (Ressource.objects.count(), Actualite.objects.count(), Proposition.objects.count())
    espace_demo_load()
    assert (
        Ressource.objects.count(),
        Actualite.objects.count(),
        Proposition.objects.count(),
    ) == avant


def test_le_guide_est_propose_sur_une_fiche_de_la_creuse(demo_data, client):
    from pilotage.contrats.models import Contrat

    contrat = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    client.login(email="pilote.cd@demo.pilotage.test", password="demo-pilotage-2025")
    response = client.get(reverse("contrats:fiche", args=[contrat.pk, 1]))
    assert "Ressources utiles" in response.text
    assert "Guide en 5 étapes" in response.text

"""Versions arrêtées du rapport : datées, figées, jamais modifiées ; la correction crée
une version 2 comparée à la version 1. Et « Mes tâches » des pilotes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from pilotage.rapports import services
from pilotage.rapports.models import SectionRapport, VersionArretee
from pilotage.suivi import tasks

BILAN = SectionRapport.Rubrique.BILAN


@pytest.fixture
def redige(rapport, cd, fiches):
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Bilan de la version 1."
    )
    return rapport


@pytest.fixture
def version_1(redige, cd, ddets, ars):
    services.rapport_submit(rapport=redige, user=cd)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=redige, user=user)
    return services.rapport_arreter(rapport=redige, user=cd)


def test_la_version_arretee_garde_les_textes_tels_qu_adoptes(version_1):
    sections = version_1.sections()
    cle = next(c for c in sections if c.startswith("bilan_execution:"))
    assert sections[cle]["texte"] == "Bilan de la version 1."
    assert sections[cle]["fiche"] == "1"
    assert version_1.contenu["annee"] == 2025 and version_1.contenu["version"] == 1


def test_apres_l_arrete_aucun_texte_ne_change(version_1, cd, fiches):
    rapport = version_1.rapport
    with pytest.raises(PermissionDenied):
        services.section_save(
            rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Réécrit."
        )
    assert SectionRapport.objects.get(fiche=fiches[0]).texte == "Bilan de la version 1."


def test_la_version_arretee_ne_se_modifie_ni_ne_se_supprime(version_1):
    version_1.contenu = {"sections": []}
    with pytest.raises(ValidationError):
        version_1.save()
    version_1.arrete_le = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        version_1.save(update_fields=["arrete_le"])
    with pytest.raises(ValidationError):
        version_1.delete()
    version_1.refresh_from_db()
    assert version_1.sections()  # inchangée


def test_un_fichier_de_la_version_arretee_se_pose_une_seule_fois(version_1, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    version_1.fichier_pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7 premier"), save=False)
    version_1.save(update_fields=["fichier_pdf"])
    version_1.fichier_pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7 second"), save=False)
    with pytest.raises(ValidationError):
        version_1.save(update_fields=["fichier_pdf"])


def test_la_correction_ne_touche_pas_la_version_1(version_1, cd, fiches):
    rapport = version_1.rapport
    contenu = version_1.contenu
    services.rapport_corriger(rapport=rapport, user=cd)
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Bilan corrigé."
    )
    version_1.refresh_from_db()
    assert version_1.contenu == contenu
    assert VersionArretee.objects.get().sections() == version_1.sections()


def test_la_version_2_arretee_s_ajoute_a_la_version_1(version_1, cd, ddets, ars, fiches):
    rapport = version_1.rapport
    services.rapport_corriger(rapport=rapport, user=cd)
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Bilan corrigé."
    )
    services.rapport_submit(rapport=rapport, user=cd)
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=rapport, user=user)
    version_2 = services.rapport_arreter(rapport=rapport, user=ddets)
    assert [v.numero for v in rapport.versions_arretees.all()] == [1, 2]
    textes = [
        next(s["texte"] for s in v.contenu["sections"] if s["rubrique"] == BILAN)
        for v in (version_1, version_2)
    ]
    assert textes == ["Bilan de la version 1.", "Bilan corrigé."]


# --- Mes tâches ----------------------------------------------------------------------


def _rubrique(user, key):
    return getattr(tasks.taches_de(user, datetime.date.today()), key)


def test_le_rapport_soumis_attend_chaque_partie_jusqu_a_sa_validation(soumis, cd, ddets, ars):
    for user in (cd, ddets, ars):
        assert _rubrique(user, "rapports_a_valider") == [soumis]
    services.rapport_validate(rapport=soumis, user=ddets)
    assert _rubrique(ddets, "rapports_a_valider") == []
    assert _rubrique(ars, "rapports_a_valider") == [soumis]
    today = datetime.date.today()
    assert tasks.nombre_taches(ars, today) == tasks.taches_de(ars, today).total


def test_un_brouillon_n_est_la_tache_de_personne(rapport, cd, ddets):
    assert _rubrique(ddets, "rapports_a_valider") == []
    assert _rubrique(cd, "rapports_a_arreter") == []


def test_le_rapport_valide_est_a_arreter_puis_disparait(valide, cd, ars, lecteur):
    assert _rubrique(cd, "rapports_a_arreter") == [valide]
    assert _rubrique(ars, "rapports_a_arreter") == [valide]
    assert _rubrique(lecteur, "rapports_a_arreter") == []
    services.rapport_arreter(rapport=valide, user=ars)
    assert _rubrique(cd, "rapports_a_arreter") == []


def test_la_page_mes_taches_montre_le_rapport_a_valider(client, soumis, ddets):
    client.force_login(ddets)
    from django.urls import reverse

    response = client.get(reverse("suivi:mes_taches"))
    assert response.status_code == 200
    assert "Rapports d'exécution à commenter et valider" in response.content.decode()

"""Téléchargement du rapport depuis sa page : chaque format inscrit est proposé (les
lents par un bouton « Générer », voir test_generation_fond.py) et produit à la demande avec les textes rédigés ; format inconnu ou contrat d'un autre
département : 404."""

import io

import docx
import pytest
from django.urls import reverse

from pilotage.rapports import services
from pilotage.rapports.formats import EN_FOND, EXPORTERS
from pilotage.rapports.models import SectionRapport


def _url(rapport, fmt):
    return reverse("rapports:telecharger", args=[rapport.contrat_id, rapport.annee, fmt])


def test_la_page_propose_chaque_format_inscrit(client, rapport, lecteur):
    """Les formats rapides en lien direct ; les lents (PDF) par « Générer », en tâche de fond."""
    client.force_login(lecteur)
    page = client.get(reverse("rapports:rapport", args=[rapport.contrat_id, rapport.annee]))
    for fmt in EXPORTERS:
        if fmt in EN_FOND:
            assert f'name="format" value="{fmt}"'.encode() in page.content
        else:
            assert _url(rapport, fmt).encode() in page.content


def test_le_word_telecharge_contient_le_bilan_redige(client, rapport, cd, fiches):
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiches[0],
        texte="Bilan relu en comité (texte d'essai).",
    )
    client.force_login(cd)
    response = client.get(_url(rapport, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    assert "Bilan relu en comité (texte d'essai)." in "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_chaque_format_se_telecharge(client, rapport, lecteur, fmt):
    client.force_login(lecteur)
    response = client.get(_url(rapport, fmt))
    assert response.status_code == 200
    assert len(response.content) > 100


def test_un_format_inconnu_repond_404(client, rapport, cd):
    client.force_login(cd)
    assert client.get(_url(rapport, "exe")).status_code == 404


def test_un_autre_departement_ne_telecharge_pas(client, rapport, autre_departement):
    client.force_login(autre_departement)
    assert client.get(_url(rapport, "docx")).status_code == 404

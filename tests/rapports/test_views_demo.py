"""La page du rapport sur la démonstration : le rapport 2024 de la Creuse (contrat
2020-2024) montre le contenu calculé (récapitulatif, indicateurs de la fiche 6) et la
version arrêtée le garde, avec les textes rédigés."""

import html

import pytest
from django.urls import reverse

from pilotage.rapports import services
from pilotage.rapports.models import SectionRapport
from pilotage.territoires.models import Institution
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401
from tests.factories import make_pilote_institution

T = Institution.Type


@pytest.fixture
def pilotes(precedent):  # noqa: F811
    return [
        make_pilote_institution(precedent, T.CD, "Conseil départemental (test rapports)"),
        make_pilote_institution(precedent, T.DDETS, "DDETS (test rapports)"),
        make_pilote_institution(precedent, T.ARS, "ARS (test rapports)"),
    ]


def test_la_page_du_rapport_2024_montre_le_contenu_calcule(client, precedent, pilotes):  # noqa: F811
    cd = pilotes[0]
    client.force_login(cd)
    client.post(reverse("rapports:liste", args=[precedent.pk]), {"annee": "2024"})
    page = html.unescape(
        client.get(reverse("rapports:rapport", args=[precedent.pk, 2024])).content.decode()
    )
    assert "Actions mises en œuvre : 18 / 19" in page
    assert "Actions abandonnées : 1 / 19" in page
    assert "Fiche n°13-1" in page
    assert "593" in page and "424" in page


def test_la_version_arretee_garde_le_contenu_calcule_et_les_textes(precedent, pilotes):  # noqa: F811
    cd, ddets, ars = pilotes
    rapport = services.rapport_create(contrat=precedent, annee=2024, user=cd)
    fiche = precedent.fiches.get(numero=6)
    services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiche,
        texte="Les informations préoccupantes sont traitées plus vite.",
    )
    services.rapport_submit(rapport=rapport, user=cd)
    for user in pilotes:
        services.rapport_validate(rapport=rapport, user=user)
    version = services.rapport_arreter(rapport=rapport, user=ars)
    calcule = version.contenu["calcule"]
    assert calcule["recapitulatif"]["mises_en_oeuvre"] == 18
    fiche_6 = next(f for f in calcule["fiches"] if f["numero"] == "6")
    assert fiche_6["bilan_execution"] == "Les informations préoccupantes sont traitées plus vite."

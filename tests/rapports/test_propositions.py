"""Bilan et perspectives proposés à partir des données : seuls les relevés validés ou
partagés y entrent (jamais un brouillon ni un relevé en relecture) ; une proposition non
relue est signalée dans les documents ; « Reprendre la proposition » la rétablit après une
modification, avec confirmation, l'ancien texte restant dans l'historique."""

import datetime
import html
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from pilotage.core.models import RevisionChange
from pilotage.rapports import selectors, services
from pilotage.rapports.exports.plan import A_RELIRE
from pilotage.rapports.formats import EXPORTERS
from pilotage.rapports.models import SectionRapport
from pilotage.suivi.models import Releve

BILAN = SectionRapport.Rubrique.BILAN
S = Releve.Statut
MARQUE = "[Proposition à relire]"


@pytest.fixture
def releves(contrat, cd, fiches):
    fiche = fiches[0]
    return {
        statut: Releve.objects.create(
            fiche=fiche,
            indicateur=fiche.indicateurs.first(),
            date_observation=datetime.date(2025, 3, 1 + i),
            situation="Entretien",
            questions="Questions clés.",
            faits=f"Faits du relevé {statut}.",
            statut=statut,
            auteur=cd,
            institution=cd.institution,
        )
        for i, statut in enumerate(S.values)
    }


@pytest.fixture
def rapport(contrat, cd, fiches, releves):
    return services.rapport_create(contrat=contrat, annee=2025, user=cd)


def _bilan(rapport, fiche):
    return rapport.sections.get(rubrique=BILAN, fiche=fiche)


def _contenu(rapport):
    return selectors.contenu_calcule(
        rapport.contrat, rapport.annee, sections=rapport.sections.select_related("fiche")
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_un_releve_en_brouillon_ou_en_relecture_n_entre_jamais_dans_le_rapport(rapport, fiches):
    texte = _bilan(rapport, fiches[0]).texte
    assert "Faits du relevé valide." in texte and "Faits du relevé partage." in texte
    assert "relevé brouillon" not in texte and "relevé relu" not in texte
    for section in rapport.sections.all():
        assert "brouillon." not in section.texte and "relu." not in section.texte
        assert all("relu" not in s["libelle"] for s in section.sources)


def test_une_proposition_non_relue_est_signalee_dans_les_documents(rapport, cd, fiches):
    contenu = _contenu(rapport)
    assert contenu.fiche("1").bilan_a_relire
    fiche = json.loads(EXPORTERS["json"](contenu))["fiches"][0]
    assert fiche["bilan_a_relire"] is True
    document = Document(io.BytesIO(EXPORTERS["docx"](contenu)))
    paragraphs = [p.text for p in document.paragraphs]
    bilan = paragraphs.index("Bilan d'exécution")
    assert paragraphs[bilan + 1] == A_RELIRE and A_RELIRE.startswith(MARQUE)
    assert "Faits du relevé valide." in " ".join(paragraphs[bilan + 2 : bilan + 4])
    # Une fois relue et enregistrée par un pilote, plus de marque.
    section = _bilan(rapport, fiches[0])
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte=section.texte
    )
    contenu = _contenu(rapport)
    assert not contenu.fiche("1").bilan_a_relire
    with zipfile.ZipFile(io.BytesIO(EXPORTERS["odt"](contenu))) as odt:
        assert MARQUE not in odt.read("content.xml").decode()
    document = Document(io.BytesIO(EXPORTERS["docx"](contenu)))
    assert A_RELIRE not in [p.text for p in document.paragraphs]


def test_reprendre_la_proposition_retablit_le_texte_calcule_et_garde_l_historique(
    rapport, cd, fiches
):
    propose = _bilan(rapport, fiches[0]).texte
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Mon texte à moi."
    )
    section = services.section_reprendre_proposition(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0]
    )
    assert section.texte == propose and section.prerempli and section.sources
    assert RevisionChange.objects.filter(old_value="Mon texte à moi.", new_value=propose).exists()


@pytest.mark.parametrize("qui", ["ddets", "lecteur"])
def test_seul_qui_redige_reprend_la_proposition(request, rapport, fiches, qui):
    with pytest.raises(PermissionDenied):
        services.section_reprendre_proposition(
            rapport=rapport, user=request.getfixturevalue(qui), rubrique=BILAN, fiche=fiches[0]
        )


def test_le_bouton_demande_confirmation_puis_reprend_la_proposition(client, rapport, cd, fiches):
    services.section_save(
        rapport=rapport, user=cd, rubrique=BILAN, fiche=fiches[0], texte="Mon texte à moi."
    )
    client.force_login(cd)
    args = [rapport.contrat_id, rapport.annee, BILAN, 1]
    url_section = reverse("rapports:section", args=args)
    page = _text(client.get(reverse("rapports:rapport", args=args[:2])))
    assert f"{url_section}?reprendre=1" in page and "Reprendre la proposition" in page
    confirmation = client.get(url_section, {"reprendre": 1}, HTTP_HX_REQUEST="true")
    assert "Confirmer : reprendre la proposition" in _text(confirmation)
    assert "<h1" not in _text(confirmation)
    sans_js = client.get(url_section, {"reprendre": 1})
    assert "<h1" in _text(sans_js) and "Confirmer : reprendre la proposition" in _text(sans_js)
    assert _bilan(rapport, fiches[0]).texte == "Mon texte à moi."  # rien sans confirmation
    url = reverse("rapports:reprendre", args=args)
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "proposition reprise" in _text(response)
    assert "Faits du relevé valide." in _bilan(rapport, fiches[0]).texte


def test_sans_proposition_calculable_le_refus_est_clair(client, rapport, cd, fiches):
    client.force_login(cd)
    url = reverse("rapports:reprendre", args=[rapport.contrat_id, rapport.annee, BILAN, 3])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Aucune proposition" in _text(response)

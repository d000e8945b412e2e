"""Le Word du rapport vient d'un modèle docxtpl que l'opérateur peut restyler : le modèle
d'origine se reconstruit à l'identique de ses balises, un modèle restylé désigné par
`RAPPORT_WORD_TEMPLATE` est employé (bandeau, styles) avec le même contenu."""

import io

import docx
import pytest
from docx.shared import Pt, RGBColor

from pilotage.rapports.exports import docx as export
from pilotage.rapports.formats import EXPORTERS
from pilotage.rapports.selectors import contenu_calcule


@pytest.fixture
def contenu(rapport):
    return contenu_calcule(rapport.contrat, rapport.annee)


def test_le_modele_d_origine_porte_les_balises_du_rapport():
    document = docx.Document(str(export.TEMPLATE))
    texte = "\n".join(p.text for p in document.paragraphs)
    cellules = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "{{ titre }}" in texte and "{{p corps }}" in texte
    assert "{%tr for libelle, valeur in entete %}" in cellules


def test_un_modele_restyle_par_l_operateur_est_employe(contenu, settings, tmp_path):
    modele = docx.Document(str(export.TEMPLATE))
    modele.paragraphs[0].insert_paragraph_before("Bandeau du département (essai)")
    titre1 = modele.styles["Heading 1"].font
    titre1.size, titre1.color.rgb = Pt(20), RGBColor(0xC0, 0x00, 0x00)
    chemin = tmp_path / "modele.docx"
    modele.save(str(chemin))
    settings.RAPPORT_WORD_TEMPLATE = str(chemin)

    document = docx.Document(io.BytesIO(EXPORTERS["docx"](contenu)))
    paragraphes = [p.text for p in document.paragraphs]
    assert paragraphes[:2] == [
        "Bandeau du département (essai)",
        "Rapport d'exécution 2025 – Creuse",
    ]
    titres = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert titres and titres[0].text == "Récapitulatif synthétique"
    assert document.styles["Heading 1"].font.size == Pt(20)
    entete = dict((r.cells[0].text, r.cells[1].text) for r in document.tables[0].rows)
    assert entete["Année du rapport"] == "2025"
    assert "Fiche 1 – Fiche de test n°1" in paragraphes

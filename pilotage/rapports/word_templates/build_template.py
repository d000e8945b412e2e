"""Construit `rapport_execution.docx`, le modèle Word du rapport d'exécution (docxtpl).

L'opérateur peut ouvrir `rapport_execution.docx` dans Word ou LibreOffice et en changer
l'apparence sans toucher au code : marges, polices, couleurs, logo ou bandeau en tête,
styles « Title », « Heading 1 » à « Heading 3 », « Normal », « List Bullet » et style de
tableau « Table Grid » (le corps du rapport est écrit avec ces styles), tant que les
balises {{ titre }}, {%tr … %} du tableau d'en-tête et {{p corps }} restent en place.
Un modèle restylé se pose à la place de celui-ci, ou ailleurs avec le réglage
`RAPPORT_WORD_TEMPLATE` (chemin du fichier).

    python pilotage/rapports/word_templates/build_template.py
"""

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUTPUT = Path(__file__).resolve().parent / "rapport_execution.docx"


def build() -> Path:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(lang)
    document.core_properties.title = "Rapport d'exécution"
    document.core_properties.author = "Pilotage partagé"
    document.core_properties.language = "fr-FR"
    for style in ("List Bullet", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[style]  # présents dans le modèle : le corps les emploie

    document.add_paragraph("{{ titre }}", style="Title")
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    # docxtpl : une rangée « {%tr for %} », la rangée modèle, une rangée « {%tr endfor %} ».
    table.rows[0].cells[0].text = "{%tr for libelle, valeur in entete %}"
    label, value = table.rows[1].cells
    label.paragraphs[0].add_run("{{ libelle }}").bold = True
    value.text = "{{ valeur }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{{p corps }}")
    document.save(OUTPUT)
    return OUTPUT


if __name__ == "__main__":
    print(f"Modèle écrit : {build()}")

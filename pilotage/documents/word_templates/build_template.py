"""Construit `fiche_action.docx`, le modèle Word des exports (docxtpl).

L'opérateur peut ensuite ouvrir `fiche_action.docx` dans Word ou LibreOffice et en
changer l'apparence (polices, couleurs, logo, style du tableau, styles « Normal »,
« List Bullet », « Title ») sans toucher au code, tant que les balises {{ … }} et
{%p … %} restent en place.

    python pilotage/documents/word_templates/build_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUTPUT = Path(__file__).resolve().parent / "fiche_action.docx"


def _shade(cell, color="E3E3FD"):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    properties.append(shading)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def build() -> Path:
    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    document.core_properties.title = "Fiches actions"
    document.core_properties.language = "fr-FR"

    banner = document.add_paragraph(
        "Contractualisation en prévention et en protection de l'enfance {{ generation }}"
    )
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    banner.runs[0].font.color.rgb = RGBColor(0x00, 0x00, 0x91)

    document.add_paragraph("{%p for fiche in fiches %}")
    for text, size in (
        ("{{ fiche.entete }}", 12),
        ("{{ fiche.fiche_line }}", 12),
        ("{{ fiche.titre }}", 13),
    ):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    label_cell, value_cell = table.rows[0].cells
    label_cell.width, value_cell.width = Cm(5.5), Cm(11.5)
    label_cell.paragraphs[0].text = "{%tr for row in fiche.rows %}"
    # docxtpl : une rangée « {%tr for %} », la rangée modèle, une rangée « {%tr endfor %} ».
    row = table.add_row()
    label, value = row.cells
    _shade(label)
    label_run = label.paragraphs[0].add_run("{{ row.label }}")
    label_run.bold = True
    value.paragraphs[0].text = "{%p for block in row.blocks %}"
    value.add_paragraph("{%p if block.bullet %}")
    value.add_paragraph("{{ block.text }}", style="List Bullet")
    value.add_paragraph("{%p else %}")
    value.add_paragraph("{{ block.text }}")
    value.add_paragraph("{%p endif %}")
    value.add_paragraph("{%p endfor %}")
    end = table.add_row()
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"

    document.add_paragraph("{%p if not loop.last %}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.save(OUTPUT)
    return OUTPUT


if __name__ == "__main__":
    print(f"Modèle écrit : {build()}")

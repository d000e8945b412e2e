"""Dossier de préparation et compte rendu en Word (python-docx).

Titres aux styles Word « Heading » (plan du document, navigation, accessibilité) ;
pour chaque fiche du compte rendu, le tableau de la proposition 1 :
« RÉUNION D'ÉTAT D'AVANCEMENT N° 1 DATE : jj/mm/aaaa » puis les trois encarts.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pilotage.core.formats import truncate_for_export
from pilotage.core.free_text import TEXT_LIMITS

from .content import CompteRenduContent, DecisionItem, DossierContent, Entete

BLEU_FRANCE = RGBColor(0x00, 0x00, 0x91)
ENTETE_FOND = "E3E3FD"  # comme les en-têtes de rangée des fiches exportées


def _document(title: str) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.6)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    # Langue du document (lecteurs d'écran, correcteur) : français.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)
    document.core_properties.title = title
    document.core_properties.author = "Pilotage partagé"
    document.core_properties.language = "fr-FR"
    return document


def _shade(cell, fill: str = ENTETE_FOND) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _header_row(row) -> None:
    """Ligne d'en-tête répétée en haut de chaque page si le tableau est coupé."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(document, columns: int):
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _cell_text(cell, lines: list[str], *, bold: bool = False, empty: str = "") -> None:
    """Remplit une cellule : un paragraphe par ligne (la cellule en a déjà un, vide)."""
    lines = [line for line in lines if line] or ([empty] if empty else [])
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        parts = line.splitlines() or [""]
        for number, part in enumerate(parts):
            run = paragraph.add_run(part)
            run.bold = bold
            if number < len(parts) - 1:  # retour à la ligne d'une note, dans le même paragraphe
                run.add_break()


def _label_rows(table, rows: list[tuple[str, list[str]]], *, empty: str = "—") -> None:
    for label, lines in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(5.5), Cm(12.3)
        _cell_text(cells[0], [label], bold=True)
        _shade(cells[0])
        _cell_text(cells[1], [truncate_for_export(line) for line in lines], empty=empty)


def _banner(document, entete: Entete) -> None:
    """Le bandeau de la contractualisation en en-tête de chaque page, comme les fiches."""
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(entete.banniere)
    run.font.color.rgb = BLEU_FRANCE
    run.font.size = Pt(9)


def _entete(document, entete: Entete, title: str, statut: str = "") -> None:
    _banner(document, entete)
    document.add_heading(title, level=0)
    table = _table(document, 2)
    rows = [
        ("Réunion", [f"{entete.type_libelle} – {entete.titre}"]),
        ("Date", [f"{entete.date_courte} à {entete.heure}"]),
        ("Lieu", [entete.lieu or "Non précisé"]),
    ]
    if entete.lien_visio:
        rows.append(("Visioconférence", [entete.lien_visio]))
    if statut:
        rows.append(("Statut du document", [statut]))
    _label_rows(table, rows)


def _decision_lines(item: DecisionItem, *, origine: bool = False, suivi: bool = False) -> str:
    text = f"{truncate_for_export(item.texte, TEXT_LIMITS['decision'])} ({item.details})"
    if origine:
        text += f" – décidé lors du {item.reunion_origine}"
    if item.application:
        text += f" – {item.application}"
    if suivi:
        text += f" – {item.suivi}"
    return text


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Dossier de préparation -----------------------------------------------------------


def _dossier_participants(document, entete: Entete) -> None:
    document.add_heading("Participants", level=1)
    if entete.participants:
        for group in entete.participants:
            names = ", ".join(f"{p.libelle} ({p.statut_libelle.lower()})" for p in group.personnes)
            document.add_paragraph(f"{group.institution} : {names}", style="List Bullet")
    else:
        document.add_paragraph("Aucun participant enregistré.")


def _dossier_decisions_ouvertes(document, content: DossierContent) -> None:
    document.add_heading("Décisions ouvertes des réunions précédentes", level=1)
    if content.decisions_ouvertes:
        for item in content.decisions_ouvertes:
            document.add_paragraph(
                f"Fiche n°{item.fiche_numero_affiche} : " + _decision_lines(item, origine=True),
                style="List Bullet",
            )
    else:
        document.add_paragraph("Aucune décision ouverte.")


def _dossier_fiche_etat(fiche) -> str:
    etat = fiche.etat_libelle
    if fiche.motif_abandon:
        etat += f" – motif : {fiche.motif_abandon}"
    if fiche.en_retard:
        etat += " – en retard"
    return etat


def _dossier_fiche_rows(fiche, depuis: str) -> list[tuple[str, list[str]]]:
    """Rangées du tableau d'une fiche à l'ordre du jour."""
    rows = [
        ("Référent", [fiche.referent]),
        ("État", [_dossier_fiche_etat(fiche)]),
        (
            "Étapes en retard",
            [f"{j.libelle} (prévue le {j.date_prevue:%d/%m/%Y})" for j in fiche.jalons_en_retard],
        ),
        (
            "Indicateurs quantitatifs",
            [
                f"{i.libelle} : {i.valeur}"
                + (f" ({i.periode})" if i.periode else "")
                + f" – cible : {i.cible} – référence : {i.reference}"
                + (f" – {i.ecart_cible}" if i.ecart_cible else "")
                for i in fiche.indicateurs
            ],
        ),
        (
            f"Relevés validés {depuis}",
            [
                f"{r.titre} – {r.releve.indicateur.libelle} : {r.releve.faits}"
                for r in fiche.releves
            ],
        ),
        (
            "Décisions ouvertes",
            [_decision_lines(d, origine=True) for d in fiche.decisions],
        ),
        ("Points de vigilance", fiche.vigilance),
    ]
    if fiche.reporte:
        rows.insert(0, ("Inscrite", ["pour ses décisions ouvertes"]))
    return rows


def dossier_docx(content: DossierContent) -> bytes:
    entete = content.entete
    document = _document(content.titre)
    _entete(document, entete, content.titre)
    _dossier_participants(document, entete)
    _dossier_decisions_ouvertes(document, content)
    document.add_heading("Fiches à l'ordre du jour", level=1)
    for fiche in content.fiches:
        document.add_heading(f"Fiche action n°{fiche.numero_affiche} – {fiche.titre}", level=2)
        _label_rows(_table(document, 2), _dossier_fiche_rows(fiche, content.depuis), empty="Aucun")
    return _save(document)


# --- Compte rendu ---------------------------------------------------------------------


def compte_rendu_docx(content: CompteRenduContent) -> bytes:
    entete = content.entete
    document = _document(content.titre)
    _entete(document, entete, content.titre, statut=content.statut)

    document.add_heading("Participants", level=1)
    for titre, groups, attr in (
        ("Présents", entete.presents, "presents"),
        ("Excusés", entete.excuses, "excuses"),
    ):
        document.add_heading(titre, level=2)
        if not groups:
            document.add_paragraph("Personne.")
        for group in groups:
            names = ", ".join(p.libelle for p in getattr(group, attr))
            document.add_paragraph(f"{group.institution} : {names}", style="List Bullet")

    document.add_heading("Fiches examinées", level=1)
    for fiche in content.fiches:
        document.add_heading(f"Fiche action n°{fiche.numero_affiche} – {fiche.titre}", level=2)
        table = _table(document, 2)
        head = table.add_row()
        _header_row(head)
        merged = head.cells[0].merge(head.cells[1])
        _cell_text(merged, [entete.ligne_avancement], bold=True)
        _shade(merged)
        _label_rows(
            table,
            [
                *fiche.encarts,
                (
                    "Prise de décision en séance",
                    [_decision_lines(d) for d in fiche.decisions] or ["Aucune décision"],
                ),
            ],
            empty="Rien de consigné",
        )

    document.add_heading("Suivi des décisions des réunions précédentes", level=1)
    if content.suivi_decisions:
        for item in content.suivi_decisions:
            document.add_paragraph(
                f"Fiche n°{item.fiche_numero_affiche} : "
                + _decision_lines(item, origine=True, suivi=True),
                style="List Bullet",
            )
    else:
        document.add_paragraph("Aucune décision des réunions précédentes n'était ouverte.")

    document.add_heading("Validation du compte rendu", level=1)
    document.add_paragraph(f"Statut : {content.statut}.")
    table = _table(document, 2)
    _label_rows(
        table,
        [(line.institution, [line.libelle, line.commentaire]) for line in content.validations],
    )
    return _save(document)

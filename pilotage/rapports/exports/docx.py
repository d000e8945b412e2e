"""Rapport d'exécution en Word (python-docx), dans l'ordre du rapport publié : en-tête,
récapitulatif synthétique, puis par engagement et objectif les sections des fiches
(descriptif, dates, partenaires, durée, budget, indicateurs, redéploiements, bilan,
perspectives), enfin les incohérences à vérifier. Titres aux styles « Heading » (plan
du document, navigation, accessibilité)."""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pilotage.core.formats import parse_structured_text, truncate_for_export

from ..content import FicheContent, RapportContent
from ..formats import register
from .nombres import nombre, pourcentage

INDICATEUR_COLONNES = ("Indicateur", "Valeur {annee}", "Valeur {precedente}", "Évolution", "Source")


def titre(content: RapportContent) -> str:
    return f"Rapport d'exécution {content.entete.annee} – {content.entete.departement}"


def _document(title: str) -> Document:
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
    document.core_properties.title = title
    document.core_properties.author = "Pilotage partagé"
    document.core_properties.language = "fr-FR"
    return document


def _oui_non(value: bool | None) -> str:
    return "non renseigné" if value is None else "oui" if value else "non"


def _texte(document, label: str, text: str, *, empty: str = "Non renseigné.") -> None:
    """Une rubrique : son intitulé en gras puis son texte, paragraphes et listes (« - »)
    comme à la saisie."""
    document.add_paragraph().add_run(label).bold = True
    blocks = parse_structured_text(truncate_for_export(text)) or [("p", [empty])]
    for kind, items in blocks:
        for item in items:
            document.add_paragraph(item, style="List Bullet" if kind == "ul" else None)


def _liste(document, label: str, items: list[str]) -> None:
    document.add_paragraph().add_run(label).bold = True
    if not items:
        document.add_paragraph("Non renseigné.")
    for item in items:
        document.add_paragraph(truncate_for_export(item), style="List Bullet")


def _entete(document, content: RapportContent) -> None:
    e = content.entete
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("Département", f"{e.departement} ({e.departement_code})"),
        ("Région", e.region),
        ("Contrat", e.generation),
        ("Année du rapport", str(e.annee)),
        ("Première contractualisation", str(e.annee_premiere_contractualisation or "—")),
        ("Collaboration avec la DPJJ", _oui_non(e.collaboration_dpjj)),
        ("Collaboration avec l'Éducation nationale", _oui_non(e.collaboration_dgesco)),
        ("Date", e.date.strftime("%d/%m/%Y")),
    ):
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _recapitulatif(document, content: RapportContent) -> None:
    r = content.recapitulatif
    document.add_heading("Récapitulatif synthétique", level=1)
    for label, count, fiches in (
        ("Actions mises en œuvre", r.mises_en_oeuvre, r.fiches_mises_en_oeuvre),
        ("Actions dont la mise en œuvre a pris du retard", r.en_retard, r.fiches_en_retard),
        ("Actions abandonnées", r.abandonnees, r.fiches_abandonnees),
    ):
        numbers = f" (fiches {', '.join(fiches)})" if fiches else ""
        document.add_paragraph(f"{label} : {count} / {r.prevues}{numbers}", style="List Bullet")
    for raison in r.raisons:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"Fiche {raison.fiche} ({raison.nature}) : ").bold = True
        paragraph.add_run(truncate_for_export(raison.texte))
        for etape in raison.etapes:
            document.add_paragraph(etape, style="List Bullet")


def _indicateurs(document, fiche: FicheContent, annee: int) -> None:
    document.add_paragraph().add_run("Indicateurs").bold = True
    if not fiche.indicateurs:
        document.add_paragraph("Aucun indicateur chiffré.")
        return
    table = document.add_table(rows=1, cols=len(INDICATEUR_COLONNES))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, INDICATEUR_COLONNES, strict=True):
        cell.paragraphs[0].add_run(heading.format(annee=annee, precedente=annee - 1)).bold = True
    for ligne in fiche.indicateurs:
        cells = table.add_row().cells
        libelle = f"{ligne.libelle} ({ligne.unite})" if ligne.unite else ligne.libelle
        cells[0].text = libelle
        cells[1].text = ligne.affichage or nombre(ligne.valeur)
        cells[2].text = ligne.affichage_precedent or nombre(ligne.valeur_precedente)
        cells[3].text = pourcentage(ligne.evolution_pct)
        cells[4].text = ligne.source or "—"


def _fiche(document, fiche: FicheContent, annee: int) -> None:
    document.add_heading(f"Fiche {fiche.numero} – {fiche.titre}", level=3)
    etat = fiche.etat_libelle + (" (en retard)" if fiche.en_retard else "")
    document.add_paragraph(f"État : {etat}")
    _texte(document, "Descriptif", fiche.descriptif)
    _texte(document, "Date de mise en place", fiche.date_mise_en_place)
    _texte(document, "Partenaires", ", ".join(fiche.partenaires))
    _texte(document, "Durée", fiche.duree)
    if fiche.budget:
        _liste(document, "Budget", fiche.budget)
    else:
        _texte(document, "Budget", fiche.budget_texte)
    _indicateurs(document, fiche, annee)
    if fiche.redeploiements:
        _liste(document, "Redéploiements", [r.texte for r in fiche.redeploiements])
    _texte(document, "Bilan d'exécution", fiche.bilan_execution, empty="À rédiger.")
    _texte(document, "Perspectives", fiche.perspectives, empty="À rédiger.")


def _sections(document, content: RapportContent) -> None:
    annee = content.entete.annee
    for engagement in content.engagements:
        if engagement.libelle:
            document.add_heading(engagement.libelle, level=1)
        for objectif in engagement.objectifs:
            document.add_heading(f"{objectif.statut} – {objectif.libelle}", level=2)
            if objectif.mesure:
                document.add_paragraph(f"Mesure : {objectif.mesure}")
            if objectif.objectif:
                document.add_paragraph(f"Objectif : {objectif.objectif}")
            for numero in objectif.fiches:
                _fiche(document, content.fiche(numero), annee)


def _incoherences(document, content: RapportContent) -> None:
    document.add_heading("Incohérences à vérifier", level=1)
    if not content.incoherences:
        document.add_paragraph("Aucune incohérence relevée dans les chiffres.")
    for incoherence in content.incoherences:
        document.add_paragraph(
            f"Fiche {incoherence.fiche} : {incoherence.texte}", style="List Bullet"
        )


@register("docx")
def export_docx(content: RapportContent) -> bytes:
    document = _document(titre(content))
    document.add_heading(titre(content), level=0)
    _entete(document, content)
    _recapitulatif(document, content)
    _sections(document, content)
    _incoherences(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

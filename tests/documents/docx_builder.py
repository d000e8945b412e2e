"""Fabrique de documents Word (python-docx) et OpenDocument (odfdo) pour les tests d'import.

`build_docx(fiches, layout)` écrit une ou plusieurs fiches selon toutes les variantes
rencontrées : en-tête en paragraphes ou dans les premières rangées du tableau, libellés
avec coquilles, indicateurs en une ou deux rangées, cellules fusionnées, tableau
imbriqué, puces de style Word ou caractères « • », rangées vides, fiche coupée en deux
tableaux par un saut de page. `build_creuse_docx()` reconstitue les 17 fiches publiées
de la Creuse (pilotage/demo/data/creuse_2025_2027.json) dans leur mise en page.
"""

import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK

CREUSE_JSON = (
    Path(__file__).resolve().parents[2] / "pilotage" / "demo" / "data" / "creuse_2025_2027.json"
)

LABELS = {
    "constat": "Constat du diagnostic",
    "objectif_operationnel": "Objectif opérationnel",
    "description": "Description de l’action",
    "acteurs": "Identification des acteurs à mobiliser",
    "moyens": "Moyens financiers prévisionnels",
    "calendrier": "Calendrier prévisionnel",
    "indicateurs": "Indicateurs quantitatifs et qualitatifs de mise en œuvre de l'action",
    "indicateurs_quantitatifs": "Indicateurs quantitatifs de mise en œuvre de l’action",
    "indicateurs_qualitatifs": "Indicateurs qualitatifs de mise en œuvre de l’action*",
    "points_vigilance": "Points de vigilance",
}


@dataclass(frozen=True)
class Item:
    """Élément de liste à puces."""

    text: str


Line = str | Item  # une ligne de cellule : paragraphe ou élément de liste


def lines_from_structured(text: str) -> list[Line]:
    """Texte structuré (« - » pour les listes, ligne vide entre blocs) → lignes de cellule."""
    result: list[Line] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if line.startswith("- "):
            result.append(Item(line[2:]))
        elif line:
            result.append(line)
    return result


@dataclass
class FicheSpec:
    """Contenu d'une fiche à écrire ; les lignes d'en-tête peuvent être écrites telles quelles."""

    numero: int | None = 1
    objectif_line: str = "OBJECTIF N°7 (obligatoire)"
    fiche_line: str | None = None  # défaut : « FICHE ACTION N°<numero> »
    titre: str = "Titre de test"
    departement_line: str = "Département concerné : Conseil départemental de la Creuse"
    referent_line: str = "Référent (personne ou institution) : Pôle cohésion sociale"
    referent_italic: bool = True
    constat: list[Line] = field(default_factory=lambda: ["Un constat."])
    objectif_operationnel: list[Line] = field(default_factory=lambda: ["Un objectif."])
    description: list[Line] = field(default_factory=lambda: [Item("Action A"), Item("Action B")])
    acteurs: list[Line] = field(default_factory=lambda: ["CH, ARS, CPAM"])
    moyens: list[Line] = field(
        default_factory=lambda: ["Financement Etat : 10 000 € Financement CD : 10 000 €"]
    )
    calendrier: list[Line] = field(
        default_factory=lambda: ["Année 2025 et suivantes :", Item("Étape 1"), Item("Étape 2")]
    )
    indicateurs_quantitatifs: list[str] = field(default_factory=lambda: ["Nombre de VAD"])
    indicateurs_qualitatifs: list[str] = field(default_factory=lambda: ["Ressenti des familles"])
    points_vigilance: list[Line] = field(default_factory=lambda: ["Baisse de la natalité"])
    extra_rows: list[tuple[str, list[Line]]] = field(default_factory=list)
    # Rangées écrites dans un second tableau après un saut de page, à partir de cette rubrique.
    split_before: str | None = None
    # Rubrique dont les dernières lignes passent dans une rangée sans libellé : (rubrique, n).
    continuation: tuple[str, int] | None = None
    preamble: list[str] = field(default_factory=list)
    postamble: list[str] = field(default_factory=list)
    points_outside_table: bool = False

    @property
    def header_lines(self) -> list[tuple[str, bool]]:
        fiche_line = self.fiche_line or f"FICHE ACTION N°{self.numero}"
        return [
            (self.objectif_line, False),
            (fiche_line, False),
            (self.titre, False),
            (self.departement_line, False),
            (self.referent_line, self.referent_italic),
        ]


@dataclass
class Layout:
    """Variantes de mise en page."""

    header: str = "paragraphs"  # ou "table" : en-tête dans les premières rangées
    bullets: str = "style"  # ou "char" : caractère « • » tapé en tête de paragraphe
    indicators: str = "combined"  # ou "separate" : deux rangées
    labels: dict[str, str] = field(default_factory=dict)  # libellés remplacés (coquilles)
    merge_header_cells: bool = False  # rangées d'en-tête fusionnées sur deux colonnes
    nested_moyens: bool = False  # moyens financiers dans un tableau imbriqué
    empty_rows: bool = False  # une rangée vide après chaque rubrique
    vertical_merge_label: str | None = None  # libellé fusionné verticalement sur deux rangées
    page_break_between_fiches: bool = True


def _write_lines(container, lines: list[Line], layout: Layout, *, first=None) -> None:
    """Écrit des lignes dans une cellule (ou le document) ; `first` : paragraphe à réutiliser."""
    for line in lines:
        paragraph = first if first is not None else container.add_paragraph()
        first = None
        if isinstance(line, Item):
            if layout.bullets == "style":
                paragraph.style = "List Bullet"
                paragraph.add_run(line.text)
            else:
                paragraph.add_run(f"• {line.text}")
        else:
            paragraph.add_run(line)


def _fill_cell(cell, lines: list[Line], layout: Layout) -> None:
    _write_lines(cell, lines, layout, first=cell.paragraphs[0])


def _body_rows(fiche: FicheSpec, layout: Layout) -> list[tuple[str, list[Line]]]:
    rows = [
        ("constat", fiche.constat),
        ("objectif_operationnel", fiche.objectif_operationnel),
        ("description", fiche.description),
        ("acteurs", fiche.acteurs),
        ("moyens", fiche.moyens),
        ("calendrier", fiche.calendrier),
    ]
    if layout.indicators == "combined":
        items = [Item(t) for t in fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs]
        rows.append(("indicateurs", items))
    else:
        rows.append(("indicateurs_quantitatifs", [Item(t) for t in fiche.indicateurs_quantitatifs]))
        rows.append(("indicateurs_qualitatifs", [Item(t) for t in fiche.indicateurs_qualitatifs]))
    if not fiche.points_outside_table:
        rows.append(("points_vigilance", fiche.points_vigilance))
    return rows + list(fiche.extra_rows)


def _new_table(document):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    return table


def _add_row(table, label: str, lines: list[Line], layout: Layout) -> None:
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(label)
    _fill_cell(row.cells[1], lines, layout)


def _write_nested_moyens(cell, lines: list[Line]) -> None:
    """Moyens financiers en tableau imbriqué : « Financement Etat » | « 10 000 € »."""
    nested = cell.add_table(rows=0, cols=2)
    for line in lines:
        text = line.text if isinstance(line, Item) else line
        label, _, amount = text.partition(":")
        row = nested.add_row()
        row.cells[0].text = label.strip()
        row.cells[1].text = amount.strip()


def _write_fiche(document, fiche: FicheSpec, layout: Layout) -> None:
    for text in fiche.preamble:
        document.add_paragraph(text)
    table = None
    if layout.header == "paragraphs":
        for text, italic in fiche.header_lines:
            run = document.add_paragraph().add_run(text)
            run.italic = italic
        table = _new_table(document)
    else:
        table = _new_table(document)
        for text, italic in fiche.header_lines:
            row = table.add_row()
            run = row.cells[0].paragraphs[0].add_run(text)
            run.italic = italic
            if layout.merge_header_cells:
                row.cells[0].merge(row.cells[1])
    continuation_lines: list[Line] = []
    for key, lines in _body_rows(fiche, layout):
        if fiche.split_before == key:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = _new_table(document)
            if continuation_lines:
                _add_row(table, "", continuation_lines, layout)
                continuation_lines = []
        label = layout.labels.get(key, LABELS.get(key, key))
        if fiche.continuation and fiche.continuation[0] == key:
            count = fiche.continuation[1]
            lines, continuation_lines = lines[:-count], lines[-count:]
        if key == "moyens" and layout.nested_moyens:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run(label)
            _write_nested_moyens(row.cells[1], lines)
        elif layout.vertical_merge_label == key:
            half = max(1, len(lines) // 2)
            _add_row(table, label, lines[:half], layout)
            _add_row(table, "", lines[half:], layout)
            rows = table.rows
            rows[-2].cells[0].merge(rows[-1].cells[0])
            rows[-2].cells[0].paragraphs[0].text = label  # la fusion réunit les textes
            for extra in rows[-2].cells[0].paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
        else:
            _add_row(table, label, lines, layout)
        if continuation_lines and fiche.split_before is None:
            _add_row(table, "", continuation_lines, layout)
            continuation_lines = []
        if layout.empty_rows:
            table.add_row()
    if fiche.points_outside_table:
        document.add_paragraph(LABELS["points_vigilance"])
        _write_lines(document, fiche.points_vigilance, layout)
    for text in fiche.postamble:
        document.add_paragraph(text)


def build_docx(fiches: list[FicheSpec] | FicheSpec, layout: Layout | None = None) -> bytes:
    """Document Word contenant les fiches, dans l'ordre."""
    layout = layout or Layout()
    fiches = [fiches] if isinstance(fiches, FicheSpec) else fiches
    document = docx.Document()
    for index, fiche in enumerate(fiches):
        if index and layout.page_break_between_fiches:
            document.add_page_break()
        _write_fiche(document, fiche, layout)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- Creuse ------------------------------------------------------------------------------

_CREUSE_BANNER = "Contractualisation en prévention et en protection de l'enfance 2025-2027"
_ANNEXE = [
    "Annexe 5 : Modèle de fiche action",
    "Nommer le document au format « n° objectif_nom de la fiche action »",
]
_PUBLICATION = [
    "Publié sur www.creuse.fr le 09/10/2025",
    "Envoyé en préfecture le 08/10/2025",
    "Reçu en préfecture le 08/10/2025",
    "ID : 023-222309627-20251002-CP2025221-DE",
]
# En-têtes tels que publiés (coquilles, deux-points absents, mentions vides).
_CREUSE_FICHE_LINES = {4: "FICHE ACTION n°4", 8: "FICHE ACTION N° 8", 10: "FICHE ACTION °10"}
_CREUSE_NO_COLON = {
    6: ("referent",),
    7: ("departement", "referent"),
    8: ("departement", "referent"),
}
_CREUSE_REFERENT_WORD = {5: "Réfèrent", 7: "Référént", 15: "Réfèrent"}


def creuse_fiches() -> list[dict]:
    """Les 17 fiches transcrites (données attendues de l'import)."""
    return json.loads(CREUSE_JSON.read_text(encoding="utf-8"))["fiches"]


def creuse_indicator_text(indicateur: dict) -> str:
    """Texte écrit dans le document pour un indicateur transcrit."""
    text = indicateur["libelle"]
    if indicateur.get("valeur_texte"):
        text = f"{text} : {indicateur['valeur_texte']}"
    return f"Indicateur national : {text}" if indicateur.get("national") else text


def creuse_acteur_text(acteur: dict) -> str:
    """« UDAF (pour la formation) » : l'implication entre parenthèses, comme dans la source."""
    return f"{acteur['nom']} ({acteur['implication']})" if acteur["implication"] else acteur["nom"]


def _creuse_spec(data: dict) -> FicheSpec:
    numero = data["numero"]
    no_colon = _CREUSE_NO_COLON.get(numero, ())
    departement = "Département concerné"
    if data["departement_libelle"]:
        sep = " " if "departement" in no_colon else " : "
        departement += sep + data["departement_libelle"]
    referent = f"{_CREUSE_REFERENT_WORD.get(numero, 'Référent')} (personne ou institution)"
    if data["referent"]:
        referent += (" " if "referent" in no_colon else " : ") + data["referent"]
    lines = [creuse_indicator_text(i) for i in data["indicateurs_quantitatifs"]]
    quali = [creuse_indicator_text(i) for i in data["indicateurs_qualitatifs"]]
    points: list[Line] = list(data["points_vigilance"])
    if numero == 4:
        points = [Item(p) for p in points]
    spec = FicheSpec(
        numero=numero,
        objectif_line=data["entete_objectifs"],
        fiche_line=_CREUSE_FICHE_LINES.get(numero),
        titre=data["titre"],
        departement_line=departement,
        referent_line=referent,
        referent_italic=numero not in _CREUSE_REFERENT_WORD,
        constat=lines_from_structured(data["constat"]),
        objectif_operationnel=lines_from_structured(data["objectif_operationnel"]),
        description=lines_from_structured(data["description"]),
        acteurs=[", ".join(creuse_acteur_text(a) for a in data["acteurs"])],
        moyens=lines_from_structured(data["moyens_texte"]),
        calendrier=lines_from_structured(data["calendrier_texte"]),
        indicateurs_quantitatifs=lines,
        indicateurs_qualitatifs=quali,
        points_vigilance=points,
        preamble=([*_ANNEXE] if numero in (5, 13, 15) else []) + [_CREUSE_BANNER],
        postamble=list(_PUBLICATION) if numero in (7, 15, 16) else [],
        points_outside_table=numero == 5,
    )
    if numero == 4:  # dernière étape du calendrier dans une rangée sans libellé
        spec = replace(spec, continuation=("calendrier", 1))
    if numero == 8:  # description coupée par un saut de page
        spec = replace(spec, continuation=("description", 4), split_before="acteurs")
    return spec


def build_creuse_docx() -> bytes:
    """Les 17 fiches de la Creuse dans la mise en page publiée (en-tête en paragraphes,
    tableau à deux colonnes, une rangée d'indicateurs, descriptions en listes à puces)."""
    return build_docx([_creuse_spec(data) for data in creuse_fiches()], Layout())


# -- OpenDocument ------------------------------------------------------------------------


def build_odt(fiches: list[FicheSpec] | FicheSpec, *, header: str = "paragraphs") -> bytes:
    """Document OpenDocument équivalent (listes `text:list`, tableau à deux colonnes)."""
    from odfdo import Cell, Document, List, ListItem, Paragraph, Row, Table

    fiches = [fiches] if isinstance(fiches, FicheSpec) else fiches
    document = Document("text")
    body = document.body
    body.clear()

    def fill(container, lines: list[Line]) -> None:
        current_list = None
        for line in lines:
            if isinstance(line, Item):
                if current_list is None:
                    current_list = List()
                    container.append(current_list)
                current_list.append(ListItem(line.text))
            else:
                current_list = None
                container.append(Paragraph(line))

    for fiche in fiches:
        for text in fiche.preamble:
            body.append(Paragraph(text))
        table = Table("Fiche")
        if header == "paragraphs":
            for text, _italic in fiche.header_lines:
                body.append(Paragraph(text))
        else:
            for text, _italic in fiche.header_lines:
                row = Row()
                row.append(Cell(text))
                row.append(Cell())
                table.append(row)
        for key, lines in _body_rows(fiche, Layout()):
            row = Row()
            row.append(Cell(LABELS[key]))
            cell = Cell()
            cell.clear()
            fill(cell, lines)
            row.append(cell)
            table.append(row)
        body.append(table)
        if fiche.points_outside_table:
            body.append(Paragraph(LABELS["points_vigilance"]))
            fill(body, fiche.points_vigilance)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""Des blocs neutres aux fiches : reconnaissance des en-têtes et des rubriques.

Une fiche commence à une ligne « OBJECTIF(S) N°… » ou « FICHE ACTION N°… », écrite en
paragraphe au-dessus du tableau ou dans ses premières lignes. Le titre est la ligne qui
suit « FICHE ACTION » (ou la suite de la même ligne ou de la même rangée). Les rangées
du tableau sont reconnues par leur libellé ; une rangée sans libellé continue la
rubrique précédente (tableau coupé par un saut de page) ; un tableau qui ne commence pas
par un en-tête continue la fiche en cours. Les mentions du modèle (« Annexe 5… »,
« Nommer le document… ») sont ignorées.
"""

import re
from dataclasses import dataclass, field

from .blocks import Block, Paragraph, Table, cell_text, clean_text, flatten_table
from .labels import (
    BODY_LABELS,
    HEADER_LABELS,
    TOC_TITLES,
    fiche_header,
    header_label_key,
    is_noise,
    is_toc_line,
    match_label,
    normalize,
    objectif_numbers,
    split_header_value,
)
from .result import EnteteFiche

_FICHE_IN_LINE = re.compile(r"fiches?[\s-]*actions?\b", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"\s*(?:n\s*[°º]\s*)?(\d{1,3})(?!\d)\s*[:.\-–—]?\s*")
_SHOWN_LABEL_CHARS = 80
_SHOWN_IGNORED = 3


@dataclass
class Draft(EnteteFiche):
    """Fiche en cours de lecture : en-tête et contenu brut de chaque rubrique."""

    fields: dict[str, list[Paragraph]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    objectif_line: bool = False
    fiche_line: bool = False

    def is_fiche(self) -> bool:
        """Une fiche reconnue : un en-tête renseigné (numéro, objectif, titre) ou au moins
        deux rubriques remplies (le modèle vierge « FICHE ACTION N° … » n'en est pas une)."""
        filled = [key for key, pars in self.fields.items() if any(p.text for p in pars)]
        return self.numero is not None or bool(self.objectifs or self.titre) or len(filled) >= 2


def _shorten(text: str) -> str:
    text = clean_text(text)
    return text if len(text) <= _SHOWN_LABEL_CHARS else text[: _SHOWN_LABEL_CHARS - 1] + "…"


class BlockParser:
    """Automate qui lit les blocs dans l'ordre et produit des brouillons de fiches."""

    def __init__(self):
        self.drafts: list[Draft] = []
        self.warnings: list[str] = []  # avertissements hors fiche
        self.current: Draft | None = None
        self.awaiting: str | None = None  # "titre", "departement" ou "referent" sans valeur
        self.last_field: str | None = None  # rubrique que prolonge une rangée sans libellé
        self.free_field: str | None = None  # rubrique ouverte par un paragraphe hors tableau
        self.ignored: list[str] = []  # paragraphes hors fiche ou hors rubrique, à signaler
        self.toc_lines = 0  # lignes de sommaire lues depuis le dernier signalement

    # -- entrée -----------------------------------------------------------------------

    def feed(self, blocks: list[Block]) -> list[Draft]:
        """Lit tous les blocs ; renvoie les brouillons non vides, dans l'ordre du document."""
        for block in blocks:
            if isinstance(block, Table):
                self._flush_ignored()
                if self._funding_table(block):
                    continue
                self.free_field = None
                for row in block.rows:
                    self._row(row)
                self.awaiting = None if self.awaiting != "titre" else self.awaiting
            else:
                self._paragraph(block)
        self._flush_ignored()
        return [draft for draft in self.drafts if draft.is_fiche()]

    def _flush_ignored(self) -> None:
        """Un avertissement pour les paragraphes ignorés à la suite, avec leur place."""
        if self.ignored:
            shown = " ; ".join(f"« {_shorten(text)} »" for text in self.ignored[:_SHOWN_IGNORED])
            more = len(self.ignored) - _SHOWN_IGNORED
            if more > 0:
                shown += f" et {more} autre{'s' if more > 1 else ''}"
            if self.current is None:
                self._warn(f"Texte avant la première fiche, ignoré : {shown}.")
            else:
                self._warn(f"Texte hors rubrique (hors du tableau de la fiche), ignoré : {shown}.")
            self.ignored = []
        if self.toc_lines:
            where = "avant la première fiche" if self.current is None else "dans la fiche"
            plural = "s" if self.toc_lines > 1 else ""
            self._warn(f"Sommaire ignoré ({self.toc_lines} ligne{plural}, {where}).")
            self.toc_lines = 0

    # -- fiches et en-têtes -----------------------------------------------------------

    def _new_draft(self) -> Draft:
        self._flush_ignored()
        self.current = Draft()
        self.drafts.append(self.current)
        self.awaiting = self.last_field = self.free_field = None
        return self.current

    def _draft(self) -> Draft:
        return self.current if self.current is not None else self._new_draft()

    def _warn(self, message: str) -> None:
        if self.current is not None:
            self.current.warnings.append(message)
        else:
            self.warnings.append(message)

    def _objectif_line(self, text: str, numbers: list[int]) -> None:
        draft = self.current
        mergeable = (
            draft is not None
            and not draft.fields
            and not draft.fiche_line
            and not draft.titre
            and (draft.objectif_line or draft.departement or draft.referent)
        )
        if draft is None or draft.fields or (draft.objectif_line and not mergeable):
            draft = self._new_draft()
        entete = clean_text(text)
        draft.entete_objectifs = (
            f"{draft.entete_objectifs} ; {entete}" if draft.entete_objectifs else entete
        )
        draft.objectifs.extend(n for n in numbers if n not in draft.objectifs)
        draft.objectif_line = True
        if self.awaiting != "titre":  # « FICHE ACTION N°4 », « OBJECTIF N°2 », puis le titre
            self.awaiting = None
        self.last_field = self.free_field = None

    def _fiche_line(self, numero: int | None, titre: str) -> None:
        draft = self.current
        if draft is None or draft.fields or draft.fiche_line:
            draft = self._new_draft()
        draft.fiche_line = True
        draft.numero = numero
        if titre and not is_noise(titre):
            draft.titre = titre
            self.awaiting = None
        else:
            self.awaiting = "titre"
        self.last_field = self.free_field = None

    def _header_line(self, text: str) -> bool:
        """Traite une ligne d'en-tête ; False si la ligne n'en est pas une."""
        numbers = objectif_numbers(text)
        if numbers is not None:
            inline = _FICHE_IN_LINE.search(text, 1)
            head = text[: inline.start()] if inline else text
            self._objectif_line(head.strip(" –—-:"), objectif_numbers(head) or [])
            if inline:
                self._header_line(text[inline.start() :])
            return True
        header = fiche_header(text)
        if header is not None:
            self._fiche_line(*header)
            return True
        for key in ("departement", "referent", "titre"):
            value = split_header_value(text, key)
            if value is not None:
                self._set_header(key, value)
                return True
        return False

    def _set_header(self, key: str, value: str) -> None:
        draft = self._draft()
        value = clean_text(value)
        if key == "titre" and normalize(value) in ("titre de la fiche", ""):
            value = ""
        if value:
            setattr(draft, key, value)
        self.awaiting = None if value else key
        self.free_field = None

    def _fill_awaiting(self, text: str) -> bool:
        """Valeur d'un en-tête annoncé sans valeur (titre sur la ligne suivante…)."""
        if self.awaiting is None or is_noise(text):
            return False
        if self._inline_label([Paragraph(text)]):  # « Constat du diagnostic : … »
            return False
        self._set_header(self.awaiting, text)
        return True

    # -- rubriques ----------------------------------------------------------------------

    def _set_field(self, key: str, paragraphs: list[Paragraph]) -> None:
        if key in HEADER_LABELS:
            self._set_header(key, cell_text(paragraphs))
            return
        draft = self._draft()
        existing = draft.fields.get(key)
        content = [p for p in paragraphs if p.text]
        if existing and any(p.text for p in existing) and content:
            draft.warnings.append(
                f"La rubrique « {_label_name(key)} » apparaît deux fois : "
                "les deux contenus ont été réunis."
            )
        draft.fields.setdefault(key, []).extend(content)
        self.last_field = key
        self.awaiting = None

    def _inline_label(self, paragraphs: list[Paragraph]) -> tuple[str, list[Paragraph]] | None:
        """« Constat du diagnostic » seul, ou « Constat du diagnostic : texte », dans une
        cellule unique ou un paragraphe : (rubrique, contenu)."""
        first = next((p for p in paragraphs if p.text), None)
        if first is None:
            return None
        rest = paragraphs[paragraphs.index(first) + 1 :]
        key = match_label(first.text, strict=True)
        if key:
            return key, rest
        label, sep, value = first.text.partition(":")
        if sep and (key := match_label(label, strict=True)):
            value = value.strip()
            return key, ([Paragraph(value, first.is_list_item)] if value else []) + rest
        return None

    def _funding_table(self, table: Table) -> bool:
        """Un tableau posé sous le libellé « Moyens financiers » écrit hors tableau (en gras
        ou en titre) est le tableau de financement de la rubrique quand aucune de ses
        rangées ne commence par le libellé d'une autre rubrique ou par un en-tête de
        fiche : il est lu comme un tableau imbriqué (`flatten_table` garde sa forme, et
        `moyens` signale chaque rangée qui ne nomme pas de financeur) ; la rubrique reste
        ouverte. Les autres rubriques ne prennent pas un tableau qui suit : ses rangées
        inconnues sont signalées une à une."""
        if self.free_field != "moyens" or self.current is None:
            return False
        for row in table.rows:
            first = next((p.text for cell in row for p in cell if p.text), "")
            key = match_label(first, strict=True) if first else None
            if (key and key != self.free_field) or (first and _is_header_text(first)):
                return False
        self.current.fields.setdefault(self.free_field, []).extend(flatten_table(table))
        return True

    # -- paragraphes hors tableau -------------------------------------------------------

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        if not text or is_noise(text):
            return
        if is_toc_line(text) or (self.current is None and normalize(text) in TOC_TITLES):
            self.toc_lines += 1
            return
        if not paragraph.is_list_item and self._header_line(text):
            return
        if self._fill_awaiting(text):
            return
        found = None if paragraph.is_list_item else self._inline_label([paragraph])
        if found:
            key, content = found
            self._set_field(key, content)
            self.free_field = key
            return
        if self.free_field and self.current is not None:
            self.current.fields.setdefault(self.free_field, []).append(paragraph)
        else:  # texte de page de garde, entre deux tableaux… : signalé, pas lu
            self.ignored.append(text)

    # -- rangées de tableau ---------------------------------------------------------------

    def _row(self, cells: list[list[Paragraph]]) -> None:
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            return
        if not texts[0]:
            self._continuation([p for cell in cells[1:] for p in cell if p.text])
            return
        first = next(p for p in cells[0] if p.text)
        filled = [cell for cell, text in zip(cells, texts, strict=True) if text]
        if len(filled) == 2 and self._header_pair(texts[0], cell_text(filled[1])):
            return
        if self._header_line(first.text):
            self._header_row(cells, first)
            return
        if len(filled) == 1:
            self._single_cell(cells[0], texts[0])
            return
        key = match_label(texts[0])
        values = [p for cell in cells[1:] for p in cell if p.text]
        if key:
            self._set_field(key, values)
            return
        if self._fill_awaiting(texts[0]):
            return
        self._warn(f"Rubrique non reconnue, ignorée : « {_shorten(texts[0])} ».")
        self.last_field = None

    def _header_pair(self, label: str, value: str) -> bool:
        """Rangée libellé | valeur de l'en-tête : « Fiche action n° » | « 3 »,
        « Objectif(s) » | « 5, 7 » ; False si le libellé n'est pas celui d'un en-tête."""
        key = header_label_key(label)
        if key == "objectifs":
            self._objectif_line(f"{label} {value}", objectif_numbers(f"Objectif {value}") or [])
            self.last_field = None
            return True
        if key == "numero":
            number = _LEADING_NUMBER.match(value)
            if number:
                self._fiche_line(int(number.group(1)), value[number.end() :].strip())
            else:
                self._fiche_line(None, value)
            self.last_field = None
            return True
        return False

    def _header_row(self, cells: list[list[Paragraph]], first: Paragraph) -> None:
        """Rangée d'en-tête : les lignes de la première cellule, puis les autres cellules
        comme valeur de l'en-tête resté sans valeur (titre, département, référent)."""
        lines = [p.text for p in cells[0] if p.text]
        for text in lines[lines.index(first.text) + 1 :]:
            if not self._header_line(text):
                self._fill_awaiting(text)
        rest = [p for cell in cells[1:] for p in cell if p.text]
        if rest and self.awaiting:
            self._set_header(self.awaiting, cell_text(rest))
        elif rest:
            for paragraph in rest:
                self._header_line(paragraph.text)
        if self.awaiting in ("departement", "referent"):
            self.awaiting = None
        self.last_field = None

    def _single_cell(self, cell: list[Paragraph], text: str) -> None:
        if self._fill_awaiting(text):
            return
        found = self._inline_label(cell)
        if found:
            self._set_field(*found)
            return
        if self.last_field and self.current is not None:
            self._continuation([p for p in cell if p.text])
            return
        if is_noise(text):
            return
        self._warn(f"Ligne non reconnue, ignorée : « {_shorten(text)} ».")

    def _continuation(self, paragraphs: list[Paragraph]) -> None:
        if self.current is not None and self.last_field:
            self.current.fields.setdefault(self.last_field, []).extend(paragraphs)
        elif paragraphs and not self._fill_awaiting(cell_text(paragraphs)):
            self._warn(f"Ligne sans libellé ignorée : « {_shorten(cell_text(paragraphs))} ».")


def _is_header_text(text: str) -> bool:
    """« OBJECTIF N°2 », « FICHE ACTION N°3 », « Référent : … », « Fiche action n° »…"""
    return (
        objectif_numbers(text) is not None
        or fiche_header(text) is not None
        or header_label_key(text) is not None
        or any(split_header_value(text, key) is not None for key in HEADER_LABELS)
    )


def _label_name(key: str) -> str:
    """Libellé lisible d'une rubrique, pour les messages."""
    return {
        "constat": "Constat du diagnostic",
        "objectif_operationnel": "Objectif opérationnel",
        "description": "Description de l'action",
        "acteurs": "Identification des acteurs à mobiliser",
        "moyens": "Moyens financiers prévisionnels",
        "calendrier": "Calendrier prévisionnel",
        "indicateurs": "Indicateurs de mise en œuvre de l'action",
        "indicateurs_quantitatifs": "Indicateurs quantitatifs",
        "indicateurs_qualitatifs": "Indicateurs qualitatifs",
        "points_vigilance": "Points de vigilance",
    }.get(key, BODY_LABELS.get(key, key))

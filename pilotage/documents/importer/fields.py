"""Conversion du contenu brut d'une rubrique (paragraphes et éléments de liste) en valeurs
de la fiche : texte structuré, listes (acteurs, étapes, indicateurs, points de vigilance).

Texte structuré : un paragraphe par bloc, blocs séparés par une ligne vide, éléments de
liste sur des lignes consécutives commençant par « - » (voir `parse_structured_text`).

Listes : une mention de liste vide (« néant », « NC », « – », « à définir »…) n'est pas
un élément ; une numérotation tapée (« 1) », « 2. », « a) ») fait d'un paragraphe un
élément de liste, sans son numéro ; une liste écrite en une phrase (« A, B et C. »,
« A ; B ; C. ») est découpée en éléments (`split_prose`).
"""

import re

from .blocks import Paragraph
from .labels import normalize

_LEAD_YEAR = re.compile(r"^(?:en\s+|ann[ée]es?\s+)?(?:19|20)\d\d\s*:?$", re.IGNORECASE)
_PERIOD = re.compile(r"\b(?:19|20)\d\d\b")
# Numéro tapé en tête d'élément : « 1) », « 2. », « 3 - », « (4) », « a) », « b. », « A) ».
_NUMBERING = re.compile(r"^(?:\(?\d{1,2}\s?[).°]|\d{1,2}\s[-–—]|\(?[a-z][).]|\(?[A-Z]\))\s+")
#: Mentions d'une liste vide, normalisées (`labels.normalize`) ; un texte fait seulement de
#: tirets, points ou barres (« – », « ... », « / ») en est une aussi.
PLACEHOLDERS = frozenset(
    {
        "neant",
        "nc",
        "n c",
        "na",
        "n a",
        "ras",
        "aucun",
        "aucune",
        "sans objet",
        "non concerne",
        "non concernee",
        "non communique",
        "non renseigne",
        "a definir",
        "a completer",
        "a preciser",
        "a venir",
        "en cours de definition",
        "x",
    }
)
_PLACEHOLDER_MARKS = " .-–—‐‑_/\\…*?"
_MAX_PROSE_ITEM_WORDS = 14


def structured_text(paragraphs: list[Paragraph]) -> str:
    """Paragraphes → texte structuré (« - » pour les éléments de liste)."""
    blocks: list[list[str]] = []
    previous_is_item = False
    for paragraph in paragraphs:
        if not paragraph.text:
            continue
        if paragraph.is_list_item:
            line = f"- {paragraph.text}"
            if previous_is_item:
                blocks[-1].append(line)
            else:
                blocks.append([line])
        else:
            blocks.append([paragraph.text])
        previous_is_item = paragraph.is_list_item
    return "\n\n".join("\n".join(block) for block in blocks)


def _is_lead(paragraph: Paragraph, following: Paragraph | None) -> bool:
    """Une phrase d'introduction suivie d'éléments de liste (« En 2023 : », « Bilan : »)."""
    if paragraph.is_list_item or following is None or not following.is_list_item:
        return False
    text = paragraph.text.strip()
    return text.endswith(":") or bool(_LEAD_YEAR.match(text))


def is_placeholder(text: str) -> bool:
    """« néant », « NC », « – », « à définir », « à compléter »… : une liste vide."""
    stripped = (text or "").strip(_PLACEHOLDER_MARKS)
    return not stripped or normalize(stripped).replace(":", "").strip() in PLACEHOLDERS


def _list_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Paragraphes d'une rubrique de liste : mentions vides retirées, numéros tapés ôtés
    (le paragraphe devient un élément de liste), phrase-liste unique découpée."""
    result: list[Paragraph] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if is_placeholder(text):
            continue
        numbering = _NUMBERING.match(text)
        if numbering and text[numbering.end() :].strip():
            result.append(Paragraph(text[numbering.end() :].strip(), True))
        else:
            result.append(Paragraph(text, paragraph.is_list_item))
    if len(result) == 1 and not result[0].is_list_item:
        pieces = split_prose(result[0].text)
        if pieces:
            return [Paragraph(piece, True) for piece in pieces]
    return result


def split_top_level(text: str, separator: str) -> list[str]:
    """Morceaux de `text` séparés par `separator` hors parenthèses et crochets."""
    pieces, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(separator, index):
            pieces.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces]


def split_prose(text: str) -> list[str] | None:
    """Éléments d'une liste écrite en une phrase, ou None si ce n'en est pas une.

    « A ; B ; C. » ; « A, B et C. » ; « A et B. » quand B commence par une majuscule.
    Une phrase suivie d'une autre (« … enfance. Appui des … ») n'est pas une liste, ni un
    morceau de plus de quatorze mots (une phrase ordinaire avec une virgule).
    """
    body = text.strip()
    if body.endswith(".") and not body.endswith(".."):
        body = body[:-1].rstrip()
    if not body or ". " in body:
        return None
    pieces = split_top_level(body, ";")
    if len(pieces) == 1:
        pieces = _split_commas_and_et(body)
    pieces = [piece for piece in pieces if piece]
    if len(pieces) < 2 or any(len(p.split()) > _MAX_PROSE_ITEM_WORDS for p in pieces):
        return None
    return pieces


def _split_commas_and_et(body: str) -> list[str]:
    pieces = split_top_level(body, ", ")
    last = split_top_level(pieces[-1], " et ")
    if len(pieces) > 1:
        if len(last) < 2:
            return [body]  # « Maintenir la participation, motiver le groupe » : une phrase
        return [*pieces[:-1], " et ".join(last[:-1]), last[-1]]
    if len(last) == 2 and last[1][:1].isupper():
        return last
    return [body]


def items(paragraphs: list[Paragraph], *, prefix_with_lead: bool = True) -> list[str]:
    """Un élément par paragraphe ou élément de liste.

    Une introduction (« En 2023 : ») suivie d'éléments de liste n'est pas un élément :
    elle préfixe chacun d'eux (« En 2023 : Nb. de CJM : 67 »), ou disparaît si
    `prefix_with_lead` est faux.
    """
    paragraphs = _list_paragraphs([p for p in paragraphs if p.text])
    result: list[str] = []
    lead = ""
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if _is_lead(paragraph, following):
            lead = paragraph.text.strip().rstrip(":").strip()
            continue
        if not paragraph.is_list_item:
            lead = ""
        text = paragraph.text.strip()
        result.append(f"{lead} : {text}" if lead and prefix_with_lead else text)
    return result


def split_acteurs(paragraphs: list[Paragraph]) -> list[str]:
    """Acteurs séparés par des virgules, points-virgules, lignes ou puces (hors parenthèses)."""
    result: list[str] = []
    for text in items(paragraphs, prefix_with_lead=False):
        depth, current = 0, []
        for char in text:
            if char in "([":
                depth += 1
            elif char in ")]":
                depth = max(0, depth - 1)
            if char in ",;" and depth == 0:
                result.append("".join(current))
                current = []
            else:
                current.append(char)
        result.append("".join(current))
    return [name for name in (" ".join(r.split()) for r in result) if name]


def calendrier_items(paragraphs: list[Paragraph]) -> list[str]:
    """Étapes du calendrier : les éléments de liste ; à défaut, les paragraphes qui ne sont
    pas une simple période (« Année 2025 et suivantes : » n'est pas une étape)."""
    paragraphs = _list_paragraphs([p for p in paragraphs if p.text])
    listed = [p.text.strip() for p in paragraphs if p.is_list_item]
    if listed:
        return listed
    return [p.text.strip() for p in paragraphs if not _is_period(p.text)]


def _is_period(text: str) -> bool:
    text = text.strip()
    if text.endswith(":"):
        return True
    return bool(_PERIOD.search(text)) and len(text.split()) <= 6

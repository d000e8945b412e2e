"""Conversion du contenu brut d'une rubrique (paragraphes et éléments de liste) en valeurs
de la fiche : texte structuré, listes (acteurs, étapes, indicateurs, points de vigilance).

Texte structuré : un paragraphe par bloc, blocs séparés par une ligne vide, éléments de
liste sur des lignes consécutives commençant par « - » (voir `parse_structured_text`).
"""

import re

from .blocks import Paragraph

_LEAD_YEAR = re.compile(r"^(?:en\s+|ann[ée]es?\s+)?(?:19|20)\d\d\s*:?$", re.IGNORECASE)
_PERIOD = re.compile(r"\b(?:19|20)\d\d\b")


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


def items(paragraphs: list[Paragraph], *, prefix_with_lead: bool = True) -> list[str]:
    """Un élément par paragraphe ou élément de liste.

    Une introduction (« En 2023 : ») suivie d'éléments de liste n'est pas un élément :
    elle préfixe chacun d'eux (« En 2023 : Nb. de CJM : 67 »), ou disparaît si
    `prefix_with_lead` est faux.
    """
    paragraphs = [p for p in paragraphs if p.text]
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
    paragraphs = [p for p in paragraphs if p.text]
    listed = [p.text.strip() for p in paragraphs if p.is_list_item]
    if listed:
        return listed
    return [p.text.strip() for p in paragraphs if not _is_period(p.text)]


def _is_period(text: str) -> bool:
    text = text.strip()
    if text.endswith(":"):
        return True
    return bool(_PERIOD.search(text)) and len(text.split()) <= 6

"""Mots changés d'un texte long : ce que l'historique, l'écran de conflit et l'aperçu
d'import surlignent entre l'ancienne et la nouvelle valeur d'une rubrique.

Comparaison mot à mot (`difflib`, chaque mot avec les espaces qui le suivent, pour rendre
le texte à l'identique) ;
les mots retirés sont dans `<del>`, les mots ajoutés dans `<ins>`, chacun précédé d'une
mention lue par les lecteurs d'écran. Tout est échappé. Le coût est borné : au-delà de
`MAX_WORDS` mots, ou quand presque tout a changé, on rend les deux textes entiers.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Au-delà (mots d'un des deux textes), pas de comparaison mot à mot : la comparaison
#: croît comme le produit des longueurs (1 000 mots : 0,3 s au pire, quelques
#: millisecondes pour un texte réel ; la plus longue rubrique des fiches de la Creuse
#: compte environ 130 mots).
MAX_WORDS = 1_000
#: En dessous de cette ressemblance, le texte a été réécrit : surligner tout n'aide pas.
MIN_RATIO = 0.3

#: Un mot et les espaces qui le suivent ; les espaces de tête forment un jeton.
_TOKENS = re.compile(r"^\s+|\S+\s*")


@dataclass(frozen=True)
class TextDiff:
    old: SafeString
    new: SafeString
    #: Vrai si les mots changés sont surlignés (faux : textes rendus entiers).
    highlighted: bool


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _marked(tag: str, text: str) -> str:
    """Les mots balisés ; les espaces qui les suivent restent hors de la marque."""
    words = text.rstrip()
    if not words:
        return _html(text)
    label = "supprimé" if tag == "del" else "ajouté"
    return (
        f'<{tag}><span class="fr-sr-only">[{label} : </span>{_html(words)}'
        f'<span class="fr-sr-only">]</span></{tag}>{_html(text[len(words) :])}'
    )


def _whole(old: str, new: str) -> TextDiff:
    return TextDiff(mark_safe(_html(old)), mark_safe(_html(new)), highlighted=False)


def word_diff(old: str, new: str) -> TextDiff:
    """Les deux textes en HTML sûr, mots retirés et ajoutés balisés."""
    old, new = old or "", new or ""
    if not old or not new or old == new:
        return _whole(old, new)
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if max(len(a), len(b)) > MAX_WORDS:
        return _whole(old, new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < MIN_RATIO or matcher.ratio() < MIN_RATIO:
        return _whole(old, new)
    before, after = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            before.append(_html(removed))
            after.append(_html(added))
            continue
        if removed:
            before.append(_marked("del", removed))
        if added:
            after.append(_marked("ins", added))
    return TextDiff(mark_safe("".join(before)), mark_safe("".join(after)), highlighted=True)

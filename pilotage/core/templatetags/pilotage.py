"""Filtres de présentation communs : montants, texte structuré (paragraphes et listes),
texte démesuré tronqué (`tronque`), mots changés d'un texte (`diff_mots`)."""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pilotage.core import history
from pilotage.core.formats import euros, nombre, parse_structured_text, truncate_for_export
from pilotage.core.free_text import TEXT_LIMITS
from pilotage.core.text_diff import word_diff

register = template.Library()
register.filter("euros", euros)
register.filter("nombre", nombre)  # 1234 → « 1 234 » : toute valeur montrée


@register.filter
def tronque(text: str, kind: str = "fiche") -> str:
    """Un texte libre plus long que le plafond de sa sorte (`TEXT_LIMITS`, texte démesuré
    enregistré avant les plafonds) : son début et la marque « [texte tronqué…] ». Posé
    sur les textes des documents de réunion (dossier, compte rendu, vue calendaire), page
    et PDF : un texte de 2 Mo ne fait plus durer le rendu ; un texte permis reste entier."""
    return truncate_for_export(text, TEXT_LIMITS[kind])


@register.filter
def texte_structure(text: str):
    """Affiche un texte saisi en paragraphes et listes à puces, sans HTML stocké."""
    parts = []
    for kind, items in parse_structured_text(text):
        if kind == "p":
            parts.append(format_html("<p>{}</p>", items[0]))
        else:
            parts.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
                )
            )
    return mark_safe("".join(parts))


@register.simple_tag
def revision_legendes(revision):
    """Ce que les applications en aval affichent sous une révision (`core.history`)."""
    return mark_safe(
        "".join(get_template(name).render({"revision": revision}) for name in history.templates())
    )


@register.simple_tag
def diff_mots(old: str, new: str):
    """`{% diff_mots ancien nouveau as d %}` : `d.old` et `d.new`, mots changés surlignés
    (`core/text_diff.py`)."""
    return word_diff(old, new)

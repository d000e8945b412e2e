"""Rangées du tableau de la vue calendaire (page et PDF), et lignes de leurs cellules,
écrites en Python.

Six rangées de huit à dix cellules, chacune avec sa liste de lignes : les rendre en
gabarit (une vingtaine de conditions et de variables par cellule) coûtait le cinquième de
la page. Même HTML, octet pour octet, que les gabarits qu'elles remplacent
(tests/reunions/test_calendrier_rendu.py) ; textes échappés par `conditional_escape`,
démesurés tronqués par `tronque`. Les lignes d'une cellule sont rendues par `lignes`, une
fois par contenu distinct (`cell.lignes`, posé par la vue).
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from pilotage.contrats.adresses import adresses
from pilotage.core.templatetags.pilotage import tronque

from .grille import Cell, DecisionItem, Grille, Line, ReleveItem, Row

esc = conditional_escape


def _s(count: int) -> str:
    """Le filtre `pluralize` : « s » sauf pour un."""
    return "" if count == 1 else "s"


def rangees(grille: Grille, *, pdf: bool, contrat_pk: int) -> SafeString:
    """Les rangées `<tr>` du tableau : une par rubrique suivie, une cellule par colonne."""
    releve_url = _releve_url(contrat_pk)
    return mark_safe("".join(_row(row, pdf, releve_url) for row in grille.rows))


def _releve_url(contrat_pk: int) -> Callable[[int], str]:
    builder: list[Callable[[int], str]] = []

    def url(pk: int) -> str:
        if not builder:  # un seul `reverse`, seulement s'il y a un relevé à lier
            builder.append(adresses("suivi:releve", contrat_pk))
        return builder[0](pk)

    return url


def _row(row: Row, pdf: bool, releve_url) -> str:
    hint = f' <span class="cal-rubrique-precision">– {esc(row.hint)}</span>' if row.hint else ""
    court = ' class="court"' if pdf and row.court else ""
    rubrique = "" if pdf else ' class="cal-rubrique"'
    parts = [f'\n  <tr{court}>\n    <th scope="row"{rubrique}>{esc(row.label)}{hint}</th>\n    ']
    parts += [_cell(cell, pdf, releve_url) for cell in row.cells]
    parts.append("\n  </tr>\n")
    return "".join(parts)


def _cell(cell: Cell, pdf: bool, releve_url) -> str:
    kind = cell.column.kind
    classes = ("" if pdf else "cal-cellule ") + f"cal-col--{esc(kind)}"
    if not pdf and cell.has_news and kind != "initial":
        classes += " cal-cellule--nouveau"
    out = [f'\n      <td class="{classes}">\n        ']
    if cell.column.a_venir and not cell.has_news:
        out.append('\n          <p class="cal-a-venir">À venir</p>\n        ')
    else:
        out.append("\n          ")
        if cell.decisions:
            out.append(_decisions(cell.decisions))
        out.append("\n          ")
        out.append(_state(cell, pdf))
        out.append("\n          ")
        if cell.releves:
            out.append(_releves(cell.releves, pdf, releve_url))
        out.append("\n          ")
        if cell.modifications:
            joined = " ; ".join(esc(m) for m in cell.modifications)
            out.append(f'\n            <p class="cal-precision">{joined}</p>\n          ')
        out.append("\n        ")
    out.append("\n      </td>\n    ")
    return "".join(out)


def _decisions(items: list[DecisionItem]) -> str:
    out = [
        '\n            <div class="cal-decisions">\n'
        f'              <p class="cal-intertitre">Décision{_s(len(items))} de la réunion</p>\n'
        "              <ul>\n                "
    ]
    for item in items:
        d = item.decision
        origine = f'<span class="cal-origine">{esc(item.origine)} :</span> ' if item.origine else ""
        texte = esc(tronque(d.texte, "decision"))
        statuts = ", ".join(esc(s) for s in item.statuts)
        precision = ""
        if d.porteur or d.echeance:
            porteur = f"Portée par {esc(d.porteur)}" if d.porteur else ""
            sep = ", " if d.porteur and d.echeance else ""
            echeance = f"pour le {date_filter(d.echeance, 'd/m/Y')}" if d.echeance else ""
            precision = f'<br><span class="cal-precision">{porteur}{sep}{echeance}</span>'
        out.append(
            '\n                  <li class="cal-decision">\n'
            f"                    {origine}<strong>{texte}</strong>\n"
            f'                    <span class="cal-statut">({esc(d.get_categorie_display().lower())} – {statuts})</span>\n'
            f"                    {precision}\n"
            "                  </li>\n                "
        )
    out.append("\n              </ul>\n            </div>\n          ")
    return "".join(out)


def _state(cell: Cell, pdf: bool) -> str:
    """L'état de la rubrique : ses lignes quand il a changé (ou à la signature), sinon
    « Sans changement » et, sur la page, l'état repliable."""
    if cell.show_state:
        out = ["\n            "]
        if cell.changed:
            out.append(
                '\n              <p class="cal-intertitre">Changements :\n                '
                f"{_counts(cell)}\n              </p>\n            "
            )
        out.append(f"\n            {cell.lignes()}\n          ")
        return "".join(out)
    if cell.column.kind == "initial":
        return ""
    out = ['\n            <p class="cal-inchange">Sans changement</p>\n            ']
    if cell.lines and not pdf:
        n = len(cell.lines)
        out.append(
            '\n              <details class="cal-etat">\n'
            f"                <summary>État à ce moment ({localize(n)} ligne{_s(n)})</summary>\n"
            f"                {cell.lignes()}\n"
            "              </details>\n            "
        )
    out.append("\n          ")
    return "".join(out)


def _counts(cell: Cell) -> str:
    """« 2 ajoutés, 1 retiré, 1 modifié »."""
    parts = []
    if cell.added:
        parts.append(f"{localize(cell.added)} ajouté{_s(cell.added)}")
    if cell.removed:
        parts.append(f"{localize(cell.removed)} retiré{_s(cell.removed)}")
    if cell.modified:
        parts.append(f"{localize(cell.modified)} modifié{_s(cell.modified)}")
    return ", ".join(parts)


def _releves(items: list[ReleveItem], pdf: bool, releve_url) -> str:
    out = [
        f'\n            <p class="cal-intertitre">Relevé{_s(len(items))} de la période</p>\n'
        '            <ul class="cal-releves">\n              '
    ]
    for item in items:
        if pdf:
            text = esc(tronque(item.text, "releve"))
        else:
            text = f'<a href="{releve_url(item.releve.pk)}">{esc(item.text)}</a>'
        statut = esc(item.releve.get_statut_display().lower())
        out.append(
            f'\n                <li>{text} <span class="cal-statut">({statut})</span></li>\n              '
        )
    out.append("\n            </ul>\n          ")
    return "".join(out)


def lignes(lines: list[Line]) -> SafeString:
    """La liste des lignes d'une cellule (état de la rubrique, changements marqués)."""
    if not lines:
        return mark_safe('\n\n  <p class="cal-vide">Non renseigné</p>\n\n')
    items = "".join(_line(line) for line in lines)
    return mark_safe(f'\n\n  <ul class="cal-lignes">\n    {items}\n  </ul>\n\n')


def _line(line: Line) -> str:
    status = esc(line.status)
    label = line.status_label
    marque = f'<span class="cal-marque cal-marque--{status}">{esc(label)}</span> ' if label else ""
    text = esc(tronque(line.text))
    if line.status == "removed":
        text = f"<del>{text}</del>"
    avant = (
        f'<span class="cal-avant">(avant : {esc(tronque(line.avant))})</span>'
        if line.status == "modified"
        else ""
    )
    details = "".join(
        f'<br><span class="cal-valeur">{esc(tronque(d.text))}'
        + (' <span class="cal-marque cal-marque--nouvelle">nouvelle</span>' if d.new else "")
        + "</span>"
        for d in line.details
    )
    return (
        f'\n      <li class="cal-ligne cal-ligne--{status}">\n'
        f"        {marque}{text}\n"
        f"        {avant}\n"
        f"        {details}\n"
        "      </li>\n    "
    )

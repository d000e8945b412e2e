"""Reprise d'une saisie refusée pour conflit de version (verrou optimiste).

Quand quelqu'un a modifié la fiche pendant la saisie, le formulaire revient avec la saisie
de l'auteur, rebasée sur la version enregistrée, pour qu'enregistrer de nouveau n'efface
rien en silence : chaque rubrique (ou liste) changée par l'autre personne et que l'auteur
n'avait pas touchée reprend la valeur enregistrée ; celle que les deux ont changée garde
la saisie de l'auteur et est signalée à sa place, avec la valeur enregistrée à comparer.

« Touchée » se lit sur l'instantané lisible de la fiche (`services.fiche_snapshot`) :
la saisie de l'auteur est comparée à la valeur de la version qu'il avait ouverte, que
donnent les révisions intervenues depuis (leur ancienne valeur).
"""

import copy
from dataclasses import dataclass, field

from django.forms.models import model_to_dict
from django.http import QueryDict

from .models import FicheAction
from .services import FICHE_FIELDS, FICHE_LISTS, fiche_snapshot

#: Relations plusieurs-à-plusieurs saisies dans le formulaire principal.
_MANY = ("objectifs", "referents")


@dataclass(frozen=True)
class Clash:
    """Une rubrique changée des deux côtés : la valeur enregistrée et celle de l'auteur."""

    field: str
    label: str
    saved: str
    mine: str


@dataclass
class Rebase:
    post: QueryDict
    #: Rubriques et listes reprises de la version enregistrée (libellés).
    adopted: list[str] = field(default_factory=list)
    adopted_lists: list[str] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)


def _draft(current: FicheAction, cleaned: dict, lists: dict) -> FicheAction:
    """La fiche telle que l'auteur l'a saisie, en mémoire, pour en prendre l'instantané."""
    draft = copy.copy(current)
    for name in FICHE_FIELDS:
        if name in cleaned:
            setattr(draft, name, cleaned[name])
    cache = dict(getattr(current, "_prefetched_objects_cache", {}))
    for name in _MANY:
        if name in cleaned:
            cache[name] = list(cleaned[name])
    for relation, rows in lists.items():
        model = FICHE_LISTS[relation][0]
        cache[relation] = [
            model(**{k: v for k, v in row.items() if k not in {"id", "fiche"}}) for row in rows
        ]
    draft._prefetched_objects_cache = cache
    return draft


def _base(saved: dict, revisions) -> dict:
    """L'instantané de la version ouverte par l'auteur : l'actuel, ramené en arrière."""
    base = {name: text for name, (_label, text) in saved.items()}
    for revision in sorted(revisions, key=lambda r: (r.version or 0, r.pk), reverse=True):
        for change in revision.changes.all():
            base[change.field] = change.old_value
    return base


def _post_value(current: FicheAction, name: str, post: QueryDict) -> None:
    value = model_to_dict(current, fields=[name]).get(name)
    if name in _MANY:
        post.setlist(name, [str(getattr(v, "pk", v)) for v in value or []])
    elif isinstance(value, bool):
        if value:
            post[name] = "on"
        else:
            post.pop(name, None)
    else:
        post[name] = "" if value is None else str(value)


def fiche_rebase(
    *, fiche: FicheAction, post: QueryDict, cleaned: dict, lists: dict, revisions
) -> Rebase:
    """La saisie refusée, rebasée sur la version enregistrée (voir l'en-tête du module).

    `cleaned` : données validées du formulaire principal ; `lists` : lignes des listes
    (`formset.rows()`) ; `revisions` : révisions intervenues depuis la version ouverte."""
    current = FicheAction.objects.prefetch_related(*_MANY, *FICHE_LISTS).get(pk=fiche.pk)
    saved = fiche_snapshot(current)
    mine = fiche_snapshot(_draft(current, cleaned, lists))
    base = _base(saved, revisions)
    others = {c.field for r in revisions for c in r.changes.all()}
    result = Rebase(post=post.copy())
    result.post["version"] = str(current.version)
    for name, (label, saved_text) in saved.items():
        if name not in others or mine[name][1] == saved_text:
            continue
        if mine[name][1] == base.get(name, ""):
            if name in FICHE_LISTS:
                result.adopted_lists.append(name)
            else:
                _post_value(current, name, result.post)
            result.adopted.append(label)
        else:
            result.clashes.append(Clash(name, label, saved_text, mine[name][1]))
    return result

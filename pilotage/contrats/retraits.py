"""Lignes de fiche qui portent un suivi : jamais supprimées, seulement retirées.

Une ligne d'une liste de la fiche (indicateur, étape du calendrier, acteur) « porte un
suivi » quand une autre application y a rattaché des données (valeurs et relevés d'un
indicateur, plan de collecte…) ou quand le suivi l'a renseignée (date de réalisation d'une
étape). Une telle ligne n'est jamais supprimée par une écriture de la fiche (formulaire,
import, décision) : elle est conservée, ou marquée « retirée » (`retire_le`), et garde
son suivi visible.

`contrats` ne connaît pas les applications qui s'y rattachent : les relations sont lues
dans les métadonnées du modèle (`_meta.related_objects`), quelle que soit leur
`on_delete`, pour qu'une suppression en cascade n'efface pas non plus le suivi en silence.
"""

import datetime
import re
from collections.abc import Iterable

from django.db import models
from django.db.models import Count

from .models import Acteur, Indicateur, Jalon

#: Listes de la fiche dont les lignes peuvent être retirées (champ `retire_le`).
RETIRABLES: dict[str, type[models.Model]] = {
    "acteurs": Acteur,
    "jalons": Jalon,
    "indicateurs": Indicateur,
}

#: Libellé d'une ligne de chaque liste, pour l'aperçu d'un import.
LIBELLES = {"acteurs": "acteur", "jalons": "étape", "indicateurs": "indicateur"}

#: Rubriques de la ligne que seul le suivi renseigne (un document ne les porte pas).
CHAMPS_SUIVI: dict[type[models.Model], tuple[str, ...]] = {Jalon: ("date_realisation",)}


#: Mention d'une ligne retirée dans les documents (Word, OpenDocument, PDF de la fiche,
#: rapport d'exécution) : « CH (retiré le 02/03/2026) ». L'import la relit (`lire_mention`).
MENTION = " (retiré le {date:%d/%m/%Y})"
_MENTION_START = " (retiré le "
_MENTION_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})\)")


def mention(retire_le: datetime.date | None) -> str:
    """« (retiré le 02/03/2026) » à écrire après une ligne retirée ; rien sinon."""
    return MENTION.format(date=retire_le) if retire_le else ""


def lire_mention(text: str) -> tuple[str, datetime.date | None]:
    """(« CH », 2026-03-02) pour « CH (retiré le 02/03/2026) » ; (texte, None) sans mention.

    Lu par la fin du texte, sans expression ouverte : linéaire sur tout texte reçu."""
    stripped = text.rstrip()
    start = stripped.rfind(_MENTION_START)
    if start <= 0:
        return text, None
    found = _MENTION_DATE.fullmatch(stripped, start + len(_MENTION_START))
    if found is None:
        return text, None
    day, month, year = (int(part) for part in found.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return text, None
    return stripped[:start].rstrip(), date


def _plural(count: int, meta) -> str:
    name = meta.verbose_name if count == 1 else meta.verbose_name_plural
    return f"{count} {name}"


def suivis(model: type[models.Model], pks: Iterable[int]) -> dict[int, str]:
    """{id: « 2 valeurs d'indicateurs, 1 relevé »} des lignes `pks` qui portent un suivi.

    Une requête par relation entrante et une pour les rubriques de suivi : le nombre de
    requêtes ne dépend pas du nombre de lignes."""
    pks = list(pks)
    found: dict[int, list[str]] = {}
    if not pks:
        return {}
    for rel in model._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one):
            continue
        counts = (
            rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": pks})
            .values_list(rel.field.attname)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for pk, count in counts:
            found.setdefault(pk, []).append(_plural(count, rel.related_model._meta))
    fields = CHAMPS_SUIVI.get(model, ())
    if fields:
        condition = models.Q()
        for name in fields:
            condition |= models.Q(**{f"{name}__isnull": False})
        for obj in model._base_manager.filter(condition, pk__in=pks).only(*fields):
            for name in fields:
                value = getattr(obj, name)
                if value is not None:
                    label = model._meta.get_field(name).verbose_name
                    shown = f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else value
                    found.setdefault(obj.pk, []).append(f"{label} {shown}")
    return {pk: ", ".join(parts) for pk, parts in found.items()}

"""Le contenu calculé d'une version arrêtée, relu depuis son JSON figé.

`VersionArretee.contenu["calcule"]` garde le `RapportContent` de l'arrêté en JSON
(montants en texte, dates ISO). `contenu_fige` en refait les mêmes objets, champ par
champ d'après les annotations des types : les exports (Word, OpenDocument, PDF, tableurs)
produisent ainsi les fichiers d'une version arrêtée depuis ce qui a été adopté, jamais
depuis les données du moment. Un champ ajouté aux types depuis l'arrêté prend sa valeur
par défaut ; un champ disparu est ignoré."""

import dataclasses
import datetime
import types
import typing
from decimal import Decimal, InvalidOperation

from .types import RapportContent


class ContenuIllisible(ValueError):
    """Le JSON figé ne décrit pas un contenu de rapport."""


def _value(annotation, value):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _value(annotation, value)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return [_value(item, v) for v in value]
    if dataclasses.is_dataclass(annotation):
        return _dataclass(annotation, value)
    if annotation is Decimal:
        return Decimal(str(value))
    if annotation is datetime.date:
        return datetime.date.fromisoformat(value)
    return value


def _dataclass(cls, data: dict):
    if not isinstance(data, dict):
        raise ContenuIllisible(f"{cls.__name__} attendu, {type(data).__name__} trouvé.")
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _value(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)
        if f.name in data
    }
    try:
        return cls(**kwargs)
    except TypeError as exc:  # un champ obligatoire manque
        raise ContenuIllisible(str(exc)) from exc


def contenu_fige(calcule: dict | None) -> RapportContent:
    """Le `RapportContent` d'une version arrêtée (`contenu["calcule"]`)."""
    if calcule is None:
        raise ContenuIllisible("La version arrêtée ne contient pas de contenu calculé.")
    try:
        return _dataclass(RapportContent, calcule)
    except (InvalidOperation, TypeError, ValueError, KeyError) as exc:
        if isinstance(exc, ContenuIllisible):
            raise
        raise ContenuIllisible(str(exc)) from exc

"""Textes libres : longueur maximale de chaque texte saisi, caractères invisibles retirés.

Les plafonds sont ici, en un seul tableau (`TEXT_LIMITS`). Les formulaires les posent
par `FreeTextField` (directement, ou par `Meta.field_classes` d'un formulaire de
modèle) ; un service qui reçoit un texte sans formulaire les vérifie par
`text_length_check`. Ils laissent une large marge aux textes réels (la plus longue
rubrique des 17 fiches de la Creuse compte 825 caractères, la plus longue note de
démonstration 258) et bornent le coût de ce qui lit ces textes : garde-fou « données
personnelles », PDF, exports.

Un caractère de contrôle invisible (NUL, échappement…) collé avec un texte n'a pas de
sens dans une note ou une fiche, et Django refuse NUL : plutôt que perdre ou refuser
le texte, `FreeTextField` le retire en silence ; retours à la ligne et tabulations
restent.

Un navigateur renvoie chaque zone de texte avec des fins de ligne « \r\n » : sans
normalisation, une rubrique non touchée serait inscrite comme modifiée, et un texte
exporté puis réimporté ne se retrouverait pas à l'identique. `normalise_text` est la
forme enregistrée de tout texte saisi : `FreeTextField` l'applique, et les services qui
reçoivent un texte d'ailleurs (import, décision) l'appliquent aussi.
"""

import re
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

#: Longueur maximale (en caractères) de chaque sorte de texte libre.
TEXT_LIMITS: dict[str, int] = {
    # Rubriques rédigées d'une fiche action : constat, objectif opérationnel, description,
    # calendrier et moyens (textes signés), motif de l'abandon.
    "fiche": 20_000,
    # Rubriques d'un relevé qualitatif : pratiques / questions clés, faits, améliorations.
    "releve": 10_000,
    # Note d'une personne dans un encart de la séance.
    "note": 20_000,
    # Texte d'une décision de séance, motif d'un abandon décidé en séance.
    "decision": 5_000,
    # Commentaires : d'une valeur d'indicateur, d'une étape du circuit d'un relevé, d'un
    # avis sur le compte rendu.
    "commentaire": 3_000,
    # Commentaire de clôture d'une décision.
    "cloture": 1_000,
    # Espace partagé : résumé d'une ressource (« chaque ressource est courte »), texte
    # d'une actualité, d'une proposition d'amélioration et de la réponse qui lui est faite.
    "resume": 600,
    "actualite": 1_500,
    "proposition": 3_000,
}

#: Caractères de contrôle, sauf tabulation, retour à la ligne et retour chariot.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text: str) -> str:
    """Le texte sans ses caractères de contrôle invisibles (NUL compris)."""
    return _CONTROL.sub("", text)


def normalise_text(text: str) -> str:
    """La forme enregistrée d'un texte saisi : fins de ligne « \n », sans espaces en fin
    de ligne ni lignes vides à la fin (le retrait en début de ligne reste)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\N{NO-BREAK SPACE}")


def too_long_message(limit: int, length: int) -> str:
    return (
        f"Ce texte dépasse {_number(limit)} caractères (il en compte {_number(length)}) : "
        "raccourcissez-le."
    )


def text_length_check(text: str, kind: str) -> None:
    """ValidationError si `text` dépasse le plafond des textes de sorte `kind`."""
    limit = TEXT_LIMITS[kind]
    if len(text) > limit:
        raise ValidationError(too_long_message(limit, len(text)), code="max_length")


class TextLengthValidator(MaxLengthValidator):
    """Le validateur de longueur de Django, avec le message des textes libres."""

    def __call__(self, value):
        if self.clean(value) > self.limit_value:
            raise ValidationError(too_long_message(self.limit_value, len(value)), code=self.code)


class FreeTextField(forms.CharField):
    """Texte libre d'une sorte de `TEXT_LIMITS` : longueur bornée (message en clair),
    caractères de contrôle invisibles retirés avant toute vérification."""

    def __init__(self, *, kind: str, **kwargs):
        kwargs.pop("max_length", None)  # celui d'un champ de modèle : le tableau décide
        kwargs.setdefault("widget", forms.Textarea)
        super().__init__(max_length=TEXT_LIMITS[kind], **kwargs)
        self.kind = kind
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)] + [
            TextLengthValidator(self.max_length)
        ]

    @classmethod
    def of(cls, kind: str):
        """Le champ d'une sorte, pour `Meta.field_classes` d'un formulaire de modèle."""
        return partial(cls, kind=kind)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_text(without_control_characters(value))
        return super().to_python(value)

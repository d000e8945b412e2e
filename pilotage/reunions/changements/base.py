"""Le modèle d'un changement de fiche porté par une décision, et ses outils communs.

Un changement (`Decision.changement`, JSON) est lu à quatre endroits : le formulaire de
séance (`seance_forms.DecisionForm`), sa description en clair, son application à la fiche
(`services.application`) et la vue calendaire. Chaque action est une sous-classe de
`Changement` qui dit tout cela en un seul endroit.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from pilotage.contrats.models import FicheAction
from pilotage.contrats.services import FICHE_LISTS

from ..models import Decision


@dataclass(frozen=True)
class Key:
    """Une clé du JSON et le champ du formulaire de séance qui la porte."""

    name: str  # clé dans `Decision.changement`
    field: str  # champ de `DecisionForm`
    #: valeur du formulaire → valeur du JSON (par défaut telle quelle)
    convert: Callable[[Any], Any] | None = None
    #: la clé n'est écrite que si la valeur du formulaire le vérifie (par défaut toujours)
    when: Callable[[Any], bool] | None = None


@dataclass
class Plan:
    """Les arguments de `contrats.services.fiche_update` qui appliquent un changement.

    `transfert` : (fiche qui reçoit, ligne de financement ajoutée à cette fiche)."""

    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    lists: dict[str, list] = dataclasses.field(default_factory=dict)
    transfert: tuple[FicheAction, dict[str, Any]] | None = None


class Changement:
    """Une action applicable à la fiche : une sous-classe par action, enregistrée par
    `changements.register`. Les attributs de classe suffisent pour la plupart ; `plan` et
    `describe` sont propres à chaque action."""

    code: ClassVar[str]  # valeur de `changement["action"]`
    label: ClassVar[str]  # libellé du choix dans le formulaire
    categorie: ClassVar[str]  # Decision.Categorie à laquelle l'action appartient
    #: clés du JSON et champs du formulaire qui les portent, dans l'ordre d'écriture
    keys: ClassVar[tuple[Key, ...]] = ()
    #: champs obligatoires du formulaire et message affiché s'ils manquent
    required: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: clé du numéro de la fiche qui reçoit aussi le changement (transfert)
    receiving_key: ClassVar[str | None] = None

    @classmethod
    def form_fields(cls) -> list[str]:
        """Les champs du formulaire lus par cette action."""
        return [key.field for key in cls.keys]

    @classmethod
    def form_errors(cls, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
        """Contrôles du formulaire au-delà des champs obligatoires : [(champ, message)]."""
        return []

    @classmethod
    def changement_from(cls, cleaned: dict[str, Any]) -> dict[str, Any]:
        """Le JSON décrit par les données validées du formulaire."""
        result: dict[str, Any] = {"action": cls.code}
        for key in cls.keys:
            value = cleaned.get(key.field)
            if key.when is None or key.when(value):
                result[key.name] = key.convert(value) if key.convert else value
        return result

    @classmethod
    def initial_from(cls, changement: dict[str, Any]) -> dict[str, Any]:
        """Valeurs initiales des champs du formulaire d'après le JSON."""
        return {
            key.field: changement[key.name]
            for key in cls.keys
            if changement.get(key.name) not in (None, "")
        }

    @classmethod
    def receiving_fiche(cls, changement: dict[str, Any]) -> Any:
        """Numéro de la fiche qui reçoit aussi le changement (transfert) ; None sinon."""
        return changement.get(cls.receiving_key) if cls.receiving_key else None

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        """Traduit le changement en arguments de fiche_update ; lève ValidationError (clé
        « changement ») s'il est incohérent avec la fiche. N'écrit rien."""
        raise NotImplementedError

    @classmethod
    def describe(cls, changement: dict[str, Any], fiche: FicheAction) -> str:
        """Le changement prévu, en clair."""
        raise NotImplementedError


#: Les actions par code, dans l'ordre des choix du formulaire (rempli par `register`).
REGISTRY: dict[str, type[Changement]] = {}


def register(spec: type[Changement]) -> type[Changement]:
    """Décorateur : enregistre une action (une seule classe par code)."""
    if spec.code in REGISTRY:
        raise ValueError(f"Action déjà enregistrée : {spec.code}")
    if spec.categorie not in Decision.Categorie.values:
        raise ValueError(f"Type de décision inconnu pour {spec.code} : {spec.categorie}")
    REGISTRY[spec.code] = spec
    return spec


# --- Outils de l'application à la fiche ----------------------------------------------


def fiche_rows(fiche: FicheAction, relation: str) -> list[dict[str, Any]]:
    """Lignes actuelles d'une liste de la fiche, au format attendu par fiche_update."""
    _model, fields, _label = FICHE_LISTS[relation]
    result = []
    for obj in getattr(fiche, relation).all():
        row = {"id": obj.pk}
        for name in fields:
            if name != "indicateur_national":  # absent de la ligne : valeur conservée
                row[name] = getattr(obj, name)
        result.append(row)
    return result


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError({"changement": message})


def row_by_id(lines: list[dict], pk, what: str) -> dict:
    for row in lines:
        if str(row["id"]) == str(pk):
            return row
    raise ValidationError({"changement": f"{what} introuvable sur cette fiche."})


def parse_amount(value) -> Decimal:
    try:
        result = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"changement": "Le montant doit être un nombre, par exemple 15000."}
        ) from None
    if not result.is_finite() or abs(result) >= Decimal("1e10"):
        raise ValidationError({"changement": "Le montant n'est pas valide."})
    return result.quantize(Decimal("0.01"))


def parse_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"changement": "La date doit être au format AAAA-MM-JJ."}) from None


def fiche_numero(fiche: FicheAction, numero) -> FicheAction | None:
    """Fiche du même contrat que `fiche` portant ce numéro ; None si le numéro est faux
    (« abc » venu d'une donnée forgée ne doit pas faire planter la requête)."""
    try:
        numero = int(str(numero).strip())
    except (TypeError, ValueError):
        return None
    return FicheAction.objects.filter(contrat_id=fiche.contrat_id, numero=numero).first()


# --- Outils du formulaire et de la description ---------------------------------------


def amount_text(value: Decimal) -> str:
    """Montant en texte, sans zéros inutiles : « 15000 », « -2500.5 »."""
    return f"{value.normalize():f}"


def short(text: str, size: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def find(items, pk, default=None):
    """L'élément de la liste dont la clé est `pk` (comparée en texte), sinon `default`."""
    for item in items:
        if str(item.pk) == str(pk):
            return item
    return default

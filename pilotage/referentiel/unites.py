"""Unités et sens des indicateurs : la seule table des unités de l'application.

Chaque indicateur (national ou de fiche) a une unité prise dans `Unite` et un sens
(`Sens` : plus haut, plus bas, ou sans sens). Tout ce qui affiche, trace, compare à la
cible ou devine une unité passe par ce module : libellé, symbole, « est-ce un taux ? »,
titre de l'axe d'un graphique, formulation de l'écart à la cible.

Deviner une unité (`unite_from_libelle`) suit le premier mot qui la dit : « Nombre de
femmes … soit 6,8 % » est un nombre ; « Pourcentage des enfants … par rapport au nombre »
est un taux. Le pourcentage n'est retenu que si le libellé dit « taux », « pourcentage »,
« proportion », « part des … » ou « % » avant tout autre mot d'unité ; sans indice,
l'unité est « nombre ».
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from pilotage.core.formats import nombre


class Unite(models.TextChoices):
    NOMBRE = "nombre", "Nombre"
    POURCENTAGE = "pourcentage", "Pourcentage (%)"
    EUROS = "euros", "Euros (€)"
    JOURS = "jours", "Jours"
    HEURES = "heures", "Heures"
    ETP = "etp", "Équivalents temps plein (ETP)"
    AUTRE = "autre", "Autre (à préciser)"

    @property
    def symbole(self) -> str:
        """Ce qui suit un nombre : « 45 % », « 1200 € », « 3 jours » ; rien pour un nombre."""
        return _DETAILS[self].symbole

    @property
    def est_taux(self) -> bool:
        """Un taux se lit en %, de 0 à 100 ; sa cible se compare en points."""
        return _DETAILS[self].est_taux

    @property
    def axe(self) -> str:
        """Titre de l'axe des valeurs d'un graphique."""
        return _DETAILS[self].axe


@dataclass(frozen=True)
class _Detail:
    symbole: str
    est_taux: bool
    axe: str
    #: Écritures libres reconnues (minuscules, sans accents) : migration des anciennes
    #: unités saisies en texte, import.
    ecritures: tuple[str, ...]


_DETAILS: dict[Unite, _Detail] = {
    Unite.NOMBRE: _Detail("", False, "Nombre", ("nombre", "nb", "nbre", "unite", "unites")),
    Unite.POURCENTAGE: _Detail(
        "%", True, "Taux (%)", ("%", "pourcentage", "pourcent", "taux", "pct")
    ),
    Unite.EUROS: _Detail("€", False, "Euros (€)", ("eur", "euro", "euros")),
    Unite.JOURS: _Detail("jours", False, "Jours", ("j", "jour", "jours", "journee", "journees")),
    Unite.HEURES: _Detail("h", False, "Heures", ("h", "heure", "heures")),
    Unite.ETP: _Detail("ETP", False, "ETP", ("etp",)),
    Unite.AUTRE: _Detail("", False, "Valeur", ()),
}


class Sens(models.TextChoices):
    HAUSSE = "hausse", "À la hausse (plus c'est élevé, mieux c'est)"
    BAISSE = "baisse", "À la baisse (plus c'est bas, mieux c'est)"
    AUCUN = "aucun", "Sans sens"

    @property
    def objectif(self) -> str:
        """« objectif : augmenter », « objectif : baisser », ou rien."""
        return {"hausse": "objectif : augmenter", "baisse": "objectif : baisser"}.get(
            self.value, ""
        )


def _plain(text: str) -> str:
    """Minuscules sans accents ; « € » devient « euros », une apostrophe un blanc."""
    text = re.sub(r"[’']", " ", (text or "").replace("€", " euros "))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def unite_from_text(text: str) -> tuple[str, str]:
    """(code, texte libre) pour une unité écrite librement : « % » → pourcentage,
    « euros » → euros ; une écriture inconnue devient « autre » et son texte est gardé."""
    plain = _plain(text).strip(" .")
    if not plain:
        return Unite.NOMBRE.value, ""
    for unite, detail in _DETAILS.items():
        if plain in detail.ecritures:
            return unite.value, ""
    return Unite.AUTRE.value, (text or "").strip()[:50]


# Mots qui disent l'unité dans un libellé ; le premier trouvé l'emporte.
_LIBELLE_WORDS = [
    (Unite.POURCENTAGE, r"\btaux\b|\bpourcentages?\b|\bproportions?\b|\bparts? (?:des?|du|d)\b|%"),
    (Unite.NOMBRE, r"\bnombres?\b|\bnb\b|\bnbre\b"),
    (Unite.EUROS, r"\beuros?\b|\bmontants?\b"),
    (Unite.ETP, r"\betp\b"),
    (Unite.HEURES, r"\bheures?\b"),
    (Unite.JOURS, r"\bjours?\b|\bjournees?\b"),
]
# « Nombre d'ETP », « nombre d'heures », « nombre de journées » : l'unité est ce qu'on compte.
_COUNTED = [
    (Unite.ETP, re.compile(r"^(?:nombres?|nb|nbre)\.? d etp\b")),
    (Unite.HEURES, re.compile(r"^(?:nombres?|nb|nbre)\.? d heures?\b")),
    (Unite.JOURS, re.compile(r"^(?:nombres?|nb|nbre)\.? de (?:jours?|journees?)\b")),
]


def unite_from_libelle(libelle: str) -> str:
    """Code d'unité deviné d'après le libellé d'un indicateur (voir l'en-tête du module)."""
    plain = _plain(libelle)
    best: tuple[int, Unite] | None = None
    for unite, pattern in _LIBELLE_WORDS:
        found = re.search(pattern, plain)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), unite)
    if best is None:
        return Unite.NOMBRE.value
    if best[1] == Unite.NOMBRE:
        rest = plain[best[0] :]
        for unite, pattern in _COUNTED:
            if pattern.match(rest):
                return unite.value
    return best[1].value


def unite_fields(libelle: str, national=None) -> dict[str, str]:
    """Unité et sens d'un indicateur créé par l'import ou la démonstration : ceux de
    l'indicateur national s'il y en a un, sinon l'unité devinée du libellé."""
    if national is not None:
        return {"unite": national.unite, "unite_autre": "", "sens": national.sens}
    return {"unite": unite_from_libelle(libelle), "unite_autre": "", "sens": Sens.AUCUN.value}


def number_text(value: Decimal) -> str:
    """« 6,8 », « 450 », « 1 234 » : un nombre décimal sans zéros inutiles, à la française
    (`core.formats.nombre`, la règle unique)."""
    return nombre(value)


def with_symbol(value: Decimal, symbole: str) -> str:
    text = number_text(value)
    return f"{text} {symbole}" if symbole else text


def _points(gap: Decimal) -> str:
    return f"{number_text(abs(gap))} point{'s' if abs(gap) >= 2 else ''}"


def progression(
    value: Decimal | None, cible: Decimal | None, *, unite: str, sens: str, symbole: str = ""
) -> str:
    """La dernière valeur rapportée à la cible, dans l'unité de l'indicateur.

    Un taux se compare en points (« 5 points en dessous de la cible ») ; une autre unité en
    part de la cible (« 80 % de la cible ») quand on cherche à monter ou sans sens, en
    écart (« 12 jours au-dessus de la cible ») quand on cherche à baisser."""
    if value is None or cible is None:
        return ""
    sens = Sens(sens)
    rate = Unite(unite).est_taux
    reached = (sens == Sens.HAUSSE and value >= cible) or (sens == Sens.BAISSE and value <= cible)
    share = (value * 100 / cible).quantize(Decimal("1")) if cible and not rate else None
    gap = (value - cible).quantize(Decimal("0.1"))
    if reached:
        text = "cible atteinte" + (f" : {number_text(share)} % de la cible" if share else "")
    elif rate and sens == Sens.AUCUN:
        text = f"écart à la cible : {'+' if gap > 0 else '-' if gap < 0 else ''}{_points(gap)}"
    elif rate:
        text = f"{_points(gap)} {'en dessous' if gap < 0 else 'au-dessus'} de la cible"
    elif sens == Sens.BAISSE:
        text = f"{with_symbol(value - cible, symbole)} au-dessus de la cible"
    elif share is not None:
        text = f"{number_text(share)} % de la cible"
    else:
        return ""
    objectif = sens.objectif
    return f"{text[:1].upper()}{text[1:]}" + (f" ({objectif})" if objectif else "")


class UniteMixin:
    """Lecture de l'unité d'un indicateur (champs `unite`, `sens`, et s'il y a lieu
    `unite_autre` et `cible`) : symbole, axe, valeur formatée, écart à la cible."""

    @property
    def unite_choisie(self) -> Unite:
        return Unite(self.unite)

    @property
    def symbole(self) -> str:
        """Ce qui suit une valeur : « % », « € », le texte d'une autre unité ; rien pour un nombre."""
        autre = getattr(self, "unite_autre", "")
        return autre if self.unite == Unite.AUTRE else self.unite_choisie.symbole

    @property
    def est_taux(self) -> bool:
        return self.unite_choisie.est_taux

    @property
    def axe(self) -> str:
        """Titre de l'axe des valeurs du graphique."""
        autre = getattr(self, "unite_autre", "")
        if self.unite == Unite.AUTRE and autre:
            return autre[:1].upper() + autre[1:]
        return self.unite_choisie.axe

    @property
    def objectif_sens(self) -> str:
        return Sens(self.sens).objectif

    def formater(self, value: Decimal | None) -> str:
        """« 450 », « 6,8 % », « 1200 € » : une valeur dans l'unité de l'indicateur."""
        return "" if value is None else with_symbol(value, self.symbole)

    @property
    def cible_texte(self) -> str:
        return self.formater(getattr(self, "cible", None))

    @property
    def reference_texte(self) -> str:
        return self.formater(getattr(self, "valeur_reference", None))

    def progression(self, value: Decimal | None) -> str:
        """La valeur rapportée à la cible, dans l'unité de l'indicateur et selon son sens."""
        return progression(
            value,
            getattr(self, "cible", None),
            unite=self.unite,
            sens=self.sens,
            symbole=self.symbole,
        )

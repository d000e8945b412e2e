"""Formats français communs aux écrans, documents et formulaires : montants, texte
structuré (paragraphes et listes). Sans dépendance aux gabarits : modèles et services
les utilisent aussi."""

from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import ngettext


def seconds_text(seconds: int) -> str:
    """« 1 seconde », « 16 secondes » (messages d'attente : connexions, limites de débit)."""
    return ngettext("%(n)d seconde", "%(n)d secondes", seconds) % {"n": seconds}


#: Séparateur des milliers : espace fine insécable (U+202F), comme l'écrit le français.
MILLIERS = "\u202f"


def nombre(value, *, decimales: int | None = None) -> str:
    """Un nombre à la française, partout où une valeur est montrée (écrans, Word, ODT,
    PDF, messages) : 1234 → « 1 234 », 6.80 → « 6,8 », -12500.5 → « -12 500,5 ».

    Milliers séparés par une espace fine insécable (`MILLIERS`), virgule décimale ;
    sans zéros inutiles, ou avec `decimales` chiffres après la virgule. Vide pour None.
    Les tableurs et le JSON gardent des nombres : ils n'appellent pas cette fonction."""
    if value in (None, ""):
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimales is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        decimales = max(0, -exponent) if isinstance(exponent, int) else 0
    text = f"{number:,.{decimales}f}"
    return text.replace(",", MILLIERS).replace(".", ",")


def euros(value) -> str:
    """14574 → « 14 574 € » (espace insécable fine pour les milliers, comme en français)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    integral = amount == amount.to_integral_value()
    return f"{nombre(amount, decimales=0 if integral else 2)}\u00a0€"


#: Au-delà, une rubrique est tronquée dans les documents exportés (PDF, Word, ODT) : un
#: texte démesuré déjà en base ne fait pas durer un export plus de quelques secondes.
EXPORT_TEXT_LIMIT = 20_000

TRUNCATION_NOTE = (
    "[texte tronqué : la rubrique dépasse {limit} caractères ; "
    "le texte complet reste consultable dans l'application]"
)


def truncate_for_export(text: str, limit: int = EXPORT_TEXT_LIMIT) -> str:
    """Le texte tel quel s'il tient dans `limit` caractères, sinon son début suivi d'une
    note visible « [texte tronqué…] »."""
    text = text or ""
    if len(text) <= limit:
        return text
    note = TRUNCATION_NOTE.format(limit=f"{limit:,}".replace(",", "\u202f"))
    return f"{text[:limit]}\n\n{note}"


def parse_structured_text(text: str) -> list[tuple[str, list[str]]]:
    """Découpe un texte en blocs : ("p", [paragraphe]) ou ("ul", [éléments]).

    Convention de saisie : une ligne commençant par « - » ou « • » est un
    élément de liste ; une ligne vide sépare les paragraphes.
    """
    blocks: list[tuple[str, list[str]]] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(("p", [" ".join(paragraph)]))
            paragraph.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line[:1] in ("-", "•", "·") and line[1:2] in (" ", "\t"):
            flush()
            item = line[2:].strip()
            if blocks and blocks[-1][0] == "ul" and not paragraph:
                blocks[-1][1].append(item)
            else:
                blocks.append(("ul", [item]))
        else:
            paragraph.append(line)
    flush()
    return blocks


def fiche_filename(numero: int, *parts: str) -> str:
    """Nom (sans extension) d'un fichier exporté pour une fiche : le numéro de la fiche en
    tête, sur deux chiffres, pour que les fichiers se rangent dans l'ordre des fiches
    (« fiche-03_objectif-1_augmenter-la-realisation… ») ; chaque partie est simplifiée
    (slugify) et bornée à 60 caractères."""
    return "_".join([f"fiche-{numero:02d}", *(slugify(p)[:60] for p in parts if p)])

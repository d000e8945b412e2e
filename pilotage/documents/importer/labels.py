"""Reconnaissance des libellés du modèle officiel de fiche action.

Les libellés varient d'un département à l'autre (accents, casse, espaces, apostrophes
courbes, coquilles : « Réfèrent », « Référént », « Objectif  opérationnel ») : ils sont
normalisés (`normalize`) puis reconnus par mots-clés tolérants aux fautes de frappe,
à défaut par ressemblance globale (difflib).
"""

import re
import unicodedata
from difflib import SequenceMatcher

# Rubriques du corps de la fiche (lignes du tableau), clé → libellé officiel normalisé.
BODY_LABELS = {
    "constat": "constat du diagnostic",
    "objectif_operationnel": "objectif operationnel",
    "description": "description de l'action",
    "acteurs": "identification des acteurs a mobiliser",
    "moyens": "moyens financiers previsionnels",
    "calendrier": "calendrier previsionnel",
    "indicateurs": "indicateurs quantitatifs et qualitatifs de mise en oeuvre de l'action",
    "indicateurs_quantitatifs": "indicateurs quantitatifs de mise en oeuvre de l'action",
    "indicateurs_qualitatifs": "indicateurs qualitatifs de mise en oeuvre de l'action",
    "points_vigilance": "points de vigilance",
}
# Rubriques de l'en-tête, qui peuvent aussi être des lignes du tableau.
HEADER_LABELS = {
    "titre": "titre de la fiche",
    "departement": "departement concerne",
    "referent": "referent personne ou institution",
}
# Table des synonymes : (rubrique, libellé normalisé, d'où il vient). Un libellé de cette
# table est reconnu exactement, même en mode strict (paragraphe hors tableau) ; « corpus
# d'import » : variante écrite pour tests/documents/corpus (issue 14), sans document
# source réel, à remplacer par la source quand un département l'emploie.
SYNONYMS: list[tuple[str, str, str]] = [
    ("constat", "constat", "fiches de la Creuse"),
    ("constat", "diagnostic", "corpus d'import"),
    ("constat", "constat besoins identifies", "corpus d'import"),
    ("objectif_operationnel", "objectifs operationnels", "corpus d'import"),
    ("objectif_operationnel", "obj operationnel", "corpus d'import"),
    ("description", "description", "fiches de la Creuse"),
    ("description", "descriptif de l'action", "corpus d'import"),
    ("description", "actions prevues", "corpus d'import"),
    ("acteurs", "acteurs", "corpus d'import"),
    ("acteurs", "acteurs a mobiliser", "modèle officiel, Annexe 5 (forme courte)"),
    ("acteurs", "partenaires", "corpus d'import"),
    ("moyens", "moyens financiers", "modèle officiel, Annexe 5 (forme courte)"),
    ("moyens", "budget previsionnel", "corpus d'import"),
    ("moyens", "financement", "corpus d'import"),
    ("calendrier", "calendrier", "modèle officiel, Annexe 5 (forme courte)"),
    ("calendrier", "echeancier", "corpus d'import"),
    ("calendrier", "planning", "corpus d'import"),
    ("indicateurs", "indicateurs", "modèle officiel, Annexe 5 (forme courte)"),
    ("indicateurs", "indicateurs de mise en oeuvre de l'action", "fiches de la Creuse"),
    ("indicateurs", "indicateurs de suivi", "corpus d'import"),
    ("indicateurs", "indicateurs d'evaluation", "corpus d'import"),
    ("indicateurs_quantitatifs", "indicateurs quantitatifs", "fiches de la Creuse"),
    ("indicateurs_quantitatifs", "indicateurs chiffres", "corpus d'import"),
    ("indicateurs_qualitatifs", "indicateurs qualitatifs", "fiches de la Creuse"),
    ("indicateurs_qualitatifs", "criteres qualitatifs", "corpus d'import"),
    ("points_vigilance", "points d'attention", "corpus d'import"),
    ("points_vigilance", "risques et points de vigilance", "corpus d'import"),
    ("titre", "titre", "modèle officiel, Annexe 5 (forme courte)"),
    ("titre", "intitule de l'action", "corpus d'import"),
    ("departement", "departement", "modèle officiel, Annexe 5 (forme courte)"),
    ("referent", "referent", "modèle officiel, Annexe 5 (forme courte)"),
]
ALIASES = [(key, label) for key, label, _source in SYNONYMS]
_EXACT = {label: key for key, label, _source in SYNONYMS} | {
    label: key for key, label in [*BODY_LABELS.items(), *HEADER_LABELS.items()]
}
# Mots-clés : le premier qui apparaît (à une faute de frappe près) désigne la rubrique.
_KEYWORDS = [
    ("constat", ("constat", "diagnostic")),
    ("objectif_operationnel", ("operationnel", "operationnels")),
    ("description", ("description", "descriptif")),
    ("acteurs", ("acteurs", "partenaires", "mobiliser")),
    ("moyens", ("moyens", "financiers", "financement", "financements", "budget")),
    ("calendrier", ("calendrier", "echeancier", "planning", "echeances")),
    ("points_vigilance", ("vigilance", "attention")),
    ("titre", ("titre", "intitule")),
    ("departement", ("departement",)),
    ("referent", ("referent", "referente", "referents", "pilote")),
]
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′ʹ"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
MAX_LABEL_WORDS = 14

E = "[eéèêëEÉÈÊË]"
_NUMBER_MARK = r"(?:n\s*[°º]|no\.?(?=\s*\d)|n(?=\s*\d)|[°º]|num[ée]ros?)"
OBJECTIF_RE = re.compile(
    rf"^\s*objectifs?\s*(?:{_NUMBER_MARK}\s*\.?\s*)?(?=[\d…]|\.\.\.)",
    re.IGNORECASE,
)
FICHE_RE = re.compile(
    rf"^\s*fiches?[\s-]*actions?\s*(?:{_NUMBER_MARK}\s*\.?\s*)?(?P<num>\d+)?",
    re.IGNORECASE,
)
DEPARTEMENT_RE = re.compile(rf"^\s*d{E}partements?\s+concern{E}{E}?s?\b\s*[:\-–]?\s*", re.I)
REFERENT_RE = re.compile(
    rf"^\s*r{E}f{E}r{E}nt?e?s?\b\s*(?:\([^)]*\))?\s*(?:\(personne[^)]*\)?)?\s*[:\-–]?\s*", re.I
)
TITRE_RE = re.compile(
    r"^\s*(?:titre|intitul[ée]e?)(?:\s+de\s+(?:la\s+fiche(?:\s+action)?|l['’]action)\b\s*[:\-–]?"
    r"|\s*:|\s*$)\s*",
    re.I,
)
NOISE_PREFIXES = (
    "annexe",
    "contractualisation en prevention",
    "nommer le document",
    "publie sur",
    "publie le",
    "envoye en prefecture",
    "recu en prefecture",
    "id :",
    "id:",
)


def normalize(text: str) -> str:
    """Sans accents, en minuscules, apostrophes unifiées, ponctuation réduite à des espaces."""
    text = (text or "").translate(_APOSTROPHES).translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w'%:]+", " ", text)
    return " ".join(text.replace("_", " ").split())


def _close(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    if len(keyword) < 6 or abs(len(word) - len(keyword)) > 2:
        return False
    return SequenceMatcher(None, word, keyword).ratio() >= 0.8


def _has(words: list[str], keyword: str) -> bool:
    return any(_close(word, keyword) for word in words)


def _nature(words: list[str]) -> tuple[bool, bool]:
    """(quantitatif ?, qualitatif ?) : chaque mot compte pour le plus proche des deux."""
    quanti = quali = False
    for word in words:
        if not word.startswith("qua"):
            continue
        to_quanti = SequenceMatcher(None, word, "quantitatifs").ratio()
        to_quali = SequenceMatcher(None, word, "qualitatifs").ratio()
        if max(to_quanti, to_quali) >= 0.75:
            quanti |= to_quanti > to_quali
            quali |= to_quali > to_quanti
    return quanti, quali


def match_label(text: str, *, strict: bool = False) -> str | None:
    """Clé de la rubrique désignée par un libellé (corps ou en-tête), ou None.

    `strict` : le texte entier doit ressembler à un libellé officiel (pour un paragraphe
    hors tableau, qui peut aussi être du contenu).
    """
    norm = " ".join(normalize(text).replace(":", " ").split())
    words = norm.replace("'", " ").split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return None
    if norm in _EXACT:
        return _EXACT[norm]
    if strict:
        return _by_ratio(norm, threshold=0.85, prefix=False)
    if _has(words, "indicateurs") or _has(words, "indicateur"):
        quanti, quali = _nature(words)
        if quanti and not quali:
            return "indicateurs_quantitatifs"
        if quali and not quanti:
            return "indicateurs_qualitatifs"
        return "indicateurs"
    for key, keywords in _KEYWORDS:
        if any(_has(words[:6], keyword) for keyword in keywords):
            return key
    return _by_ratio(norm, threshold=0.8, prefix=True)


def _by_ratio(norm: str, *, threshold: float, prefix: bool) -> str | None:
    best, best_ratio = None, threshold
    labels = [*BODY_LABELS.items(), *HEADER_LABELS.items(), *ALIASES]
    for key, label in labels:
        if not prefix and " " not in label:
            continue  # « Financement CD » n'est pas le libellé « Financement » mal tapé
        candidates = [norm]
        if prefix and len(norm) > len(label):
            candidates.append(norm[: len(label)])
        for candidate in candidates:
            # Bornes supérieures bon marché d'abord (longueurs, puis caractères communs) :
            # ratio() sur chaque paragraphe était l'essentiel du temps d'un import, et le
            # résultat ne change pas (ratio ≤ quick_ratio ≤ 2·min / somme des longueurs).
            shorter, total = min(len(candidate), len(label)), len(candidate) + len(label)
            if not total or 2 * shorter / total < best_ratio:
                continue
            matcher = SequenceMatcher(None, candidate, label)
            if matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = key, ratio
    return best


def is_noise(text: str) -> bool:
    """Mentions du modèle ou du dépôt à ignorer (« Annexe 5 : Modèle de fiche action »…),
    numéros de page (« Page 2 sur 8 », « 2/8 »)."""
    norm = normalize(text)
    return norm.startswith(NOISE_PREFIXES) or norm in ("publie le", "") or _is_page_number(text)


def _is_page_number(text: str) -> bool:
    """« Page 2 », « Page 2 sur 8 », « 2 sur 8 », « 2/8 » (un nombre seul n'en est pas un)."""
    words = (text or "").lower().replace("/", " sur ").split()
    paged = words[:1] == ["page"]
    words = words[1:] if paged else words
    if not words or not all(w.isdigit() for w in words[::2]):
        return False
    return (paged and len(words) == 1) or (len(words) == 3 and words[1] == "sur")


TOC_TITLES = ("sommaire", "table des matieres")
_LEADER_CHARS = ".…·_"


def is_toc_line(text: str) -> bool:
    """Ligne de sommaire : texte, points de conduite, numéro de page (« Fiche action n°1 :
    Titre ....... p. 2 », « Introduction …… 3 »). Lue de la fin, sans expression régulière."""
    line = (text or "").rstrip()
    end = len(line)
    while end and line[end - 1].isdigit():
        end -= 1
    if end == len(line) or len(line) - end > 4:
        return False
    head = line[:end].rstrip()
    for suffix in ("page", "p.", "p"):
        if head.lower().endswith(suffix):
            head = head[: -len(suffix)].rstrip()
            break
    start = len(head)
    while start and (head[start - 1] in _LEADER_CHARS or head[start - 1].isspace()):
        start -= 1
    leader = head[start:]
    dots = sum(leader.count(c) for c in ".·_") + 3 * leader.count("…")
    return start > 0 and dots >= 3


def header_label_key(text: str) -> str | None:
    """« numero » ou « objectifs » quand le texte est le seul libellé, sans valeur, de
    l'en-tête (« Fiche action n° », « Objectif(s) » : première cellule d'une rangée
    libellé | valeur) ; None sinon."""
    header = fiche_header(text)
    if header == (None, ""):
        return "numero"
    norm = normalize(text).replace(":", " ").split()
    if norm[:1] in (["objectif"], ["objectifs"]) and all(w in _OBJECTIF_LABEL_WORDS for w in norm):
        return "objectifs"
    return None


_OBJECTIF_LABEL_WORDS = {
    "objectif",
    "objectifs",
    "s",
    "n",
    "no",
    "numero",
    "numeros",
    "vise",
    "vises",
}


def objectif_numbers(text: str) -> list[int] | None:
    """Numéros d'objectifs d'une ligne « OBJECTIF(S) N°… » (None si ce n'en est pas une)."""
    match = OBJECTIF_RE.match(text or "")
    if not match:
        return None
    head = text[match.end() :].split("(", 1)[0]
    numbers: list[int] = []
    for number in re.findall(r"\d+", head):
        value = int(number)
        if value < 1000 and value not in numbers:
            numbers.append(value)
    return numbers


def fiche_header(text: str) -> tuple[int | None, str] | None:
    """(numéro, titre écrit sur la même ligne) d'une ligne « FICHE ACTION N°… », ou None."""
    match = FICHE_RE.match(text or "")
    if not match:
        return None
    numero = int(match.group("num")) if match.group("num") else None
    if numero is not None and numero >= 1000:
        return None  # « Fiches actions 2025-2027 » : un titre de document, pas un en-tête
    rest = text[match.end() :].strip()
    if numero is None:
        rest = rest.lstrip("°º.… ").strip()
        if re.fullmatch(r"n\s*[°º]?\s*[….]*", rest, re.I):
            rest = ""
    return numero, rest.strip(" :–—-.").strip()


def split_header_value(text: str, key: str) -> str | None:
    """Valeur écrite après un libellé d'en-tête (« Département concerné : Creuse » → « Creuse »).

    None si la ligne ne commence pas par ce libellé ; "" s'il n'y a pas de valeur.
    """
    pattern = {"departement": DEPARTEMENT_RE, "referent": REFERENT_RE, "titre": TITRE_RE}[key]
    match = pattern.match(text or "")
    if not match:
        return None
    return text[match.end() :].strip(" :–—-").strip()

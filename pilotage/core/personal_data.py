"""Garde-fou « données personnelles » : repère dans un texte libre ce qui ressemble à
des données sur des personnes (noms, dates de naissance, âges, téléphones, courriels,
adresses, numéros de sécurité sociale). L'outil suit des actions, pas des personnes :
l'auteur voit les passages surlignés et reformule, ou confirme (la confirmation est
tracée par `services.personal_data_confirmation_record`).

Les règles visent peu de fausses alertes sur les textes administratifs publiés (les 17
fiches de la Creuse servent de témoin dans les tests) :

- un nom n'est signalé qu'après une civilité (« Mme Dupont »), un lien (« l'enfant »,
  « la mère », « la famille »…), entre guillemets avec un prénom courant, ou sous la
  forme prénom courant + NOM en capitales (« Kevin DURAND », « DURAND Kevin ») ou
  prénom courant + initiale (« Lucas D. ») ; un
  sigle seul (PMI, ASE, ODPE, PANJO…) n'est jamais un nom, un professionnel cité par
  son rôle (« la chercheuse, Claire Littaye ») n'est pas signalé ;
- une date n'est signalée que liée à une naissance (« né le », « DDN ») : la date d'une
  réunion ou d'une observation ne l'est pas ;
- un âge n'est signalé qu'accolé à un prénom ou à une personne nommée ;
- une adresse demande un numéro, un type de voie et un nom de voie en majuscule
  (« 12 rue des Lilas ») : « 3 places en crèche » ou « 12 cours de soutien » passent ;
- un numéro de sécurité sociale à 15 chiffres n'est signalé que si sa clé est juste.

Les prénoms courants sont lus dans `data/prenoms.txt` (écrit à la main, sans accents).

Chaque règle est linéaire, même sur un texte fabriqué pour la ralentir : aucune
répétition ouverte n'est relue depuis chacun de ses mots (parties d'un courriel et noms
composés bornés quand la règle est essayée partout, passages cités cherchés à la main).
Avec la longueur des textes libres bornée (`core/free_text.py`), le contrôle d'un champ
prend quelques millisecondes (`tests/core/test_personal_data_hostile.py`).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str
    start: int
    end: int
    excerpt: str


LABELS = {
    "nom": "Nom et prénom",
    "date_naissance": "Date de naissance",
    "age_nom": "Âge associé à une personne",
    "telephone": "Numéro de téléphone",
    "email": "Adresse électronique",
    "adresse": "Adresse postale",
    "nir": "Numéro de sécurité sociale",
}

PRENOMS_FILE = Path(__file__).resolve().parent / "data" / "prenoms.txt"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Sigles courants du secteur : jamais pris pour un nom de famille écrit en capitales.
ACRONYMS = _words(
    """
    AED AEMO AESH AGBF ALEFPA ANAH APAJH APL APP ARS ASE ASH ASS BESM BFE CAF CAMSP CASF CCAS
    CCI CD CDAD CDEF CESF CH CHG CHRS CHS CHU CIAS CJM CLS CMP CMPP CN COPIL COTECH CPAM CPOM
    CPTS CRIP CSS DASEN DDETS DDT DGCS DIAP DREETS DRH DSDEN EHPAD EJE EMR EN EPNP EPP ESMS
    ETP FIR HAS IDE IME IML IP ITEP JAF JE LAEP LEP MAP MDA MDPH MDS MECS MFR MILO MJPM MNA MSA
    NEXUS ODPE ONDAM ONPE ORIGAMIE ORS PANJO PCH PE PJJ PMI POLARIS PPE PRE PSY QPV REAAP
    RELIANCE RPNA RSA SAAD SAMU SESSAD SMS SPIP TISF TS UDAF UNAF UTAS VAD
    """
)

#: Mots à majuscule qui ne sont pas des noms de famille après une civilité ou un lien.
NOT_NAMES = _words(
    """
    le la les l un une des du de d ce cet cette son sa ses leur leurs mon ma mes notre
    prefet prefete maire president presidente directeur directrice ministre depute deputee
    senateur senatrice juge procureur procureure docteur professeur adjoint adjointe
    enfant enfants roi reine noel jeune jeunes famille familles mere pere public etat
    fille garcon femme homme bebe mineur mineure adolescent adolescente parent parents
    departement region maison centre service aide protection education justice
    """
)

#: Mots qui annoncent un lieu ou un établissement portant le nom d'une personne
#: (« collège Marie CURIE », « rue Victor HUGO ») : le nom qui suit n'est pas signalé.
PLACE_WORDS = _words(
    """
    ecole college lycee rue avenue boulevard place allee chemin impasse quai square
    centre hopital maison salle espace residence foyer creche gymnase stade mediatheque
    bibliotheque fondation institut association pavillon clinique
    """
)

_UP = "A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ"
_LOW = "a-zàâäéèêëîïôöùûüçœæ"
#: Mot à majuscule initiale : Dupont, Jean-Pierre, N'Diaye.
_NAME = rf"(?:[{_UP}]['’])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)*"
#: Mot entièrement en capitales : DURAND, LE-GALL, D'ALMEIDA.
_UPPER = rf"(?:[{_UP}]['’])?[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})*"
#: Les mêmes, en quatre parties au plus (« Marie-Jeanne-Louise-Anne »), pour les règles
#: essayées à chaque mot : sans borne, une chaîne « Jean-Jean-Jean-… » serait relue en
#: entier depuis chacun de ses mots (temps quadratique). Après une civilité ou un lien,
#: la règle ne part que de ce mot : le nom entier est lu une fois.
_NAME_ANYWHERE = rf"(?:[{_UP}]['’])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+){{0,3}}"
_UPPER_ANYWHERE = rf"(?:[{_UP}]['’])?[{_UP}]{{2,}}(?:-[{_UP}]{{2,}}){{0,3}}"
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE = rf"\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)?\d{{2}}\b|\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+(?:19|20)\d{{2}}\b"
_CIVILITY = r"(?<![\w.])(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Dr\.?|Docteur)"
_RELATION = (
    r"(?i:\b(?:l['’]enfant|l['’]adolescente?|le\s+jeune|la\s+jeune|la\s+m[èe]re|le\s+p[èe]re"
    r"|la\s+maman|le\s+papa|la\s+famille|le\s+gar[çc]on|la\s+fille|le\s+mineur|la\s+mineure"
    r"|le\s+b[ée]b[ée]|le\s+nourrisson|le\s+fr[èe]re|la\s+s[œo]e?ur|la\s+grand-m[èe]re"
    r"|le\s+grand-p[èe]re|la\s+belle-m[èe]re|le\s+beau-p[èe]re|la\s+fratrie))"
)
#: Espaces sans retour à la ligne : un nom ou une adresse tient sur une ligne.
_SP = r"[^\S\n]+"
_SP0 = r"[^\S\n]*"
_AGE = r"(?:âgée?s?\s+de\s+)?\d{1,2}\s*(?:ans|mois)\b"

_CIVILITY_NAME = re.compile(
    rf"{_CIVILITY}{_SP}(?P<n1>{_NAME}|{_UPPER})(?:{_SP}(?P<n2>{_NAME}|{_UPPER}))?"
)
_RELATION_NAME = re.compile(
    rf"{_RELATION}(?P<sep>,?{_SP}|{_SP}(?:de{_SP}|d['’]))(?P<n1>{_NAME}|{_UPPER})(?:{_SP}(?P<n2>{_NAME}|{_UPPER}))?"
)
#: Guillemets ouvrants et fermants : un passage cité tient sur une ligne, en 200
#: caractères au plus (voir `_quoted`).
_QUOTES = {"«": "»", '"': '"', "“": "”"}
_OPENING_QUOTE = re.compile('[«"“]')
_FIRST_UPPER = re.compile(rf"\b(?P<first>{_NAME_ANYWHERE}){_SP}(?P<last>{_UPPER_ANYWHERE})\b")
#: Prénom courant et initiale du nom (« Lucas D. », « Emma B, 4 ans ») : l'initiale est
#: suivie d'un point, ou isolée (ni « A » ni « Y », qui sont aussi des mots).
_FIRST_INITIAL = re.compile(
    rf"\b(?P<first>{_NAME_ANYWHERE}){_SP}(?:(?P<initial>[{_UP}])\.|(?P<bare>[{_UP}])(?![\w'’]))"
)
_UPPER_FIRST = re.compile(rf"\b(?P<last>{_UPPER_ANYWHERE}){_SP}(?P<first>{_NAME_ANYWHERE})\b")
#: Prénom puis nom, essayé à chaque position (sans consommer le texte : « Atelier Léa Durand »).
#: (Un passage cité compte 200 caractères au plus : les noms entiers y sont relus sans risque.)
_FIRST_LAST_ANYWHERE = re.compile(rf"\b(?=(?P<first>{_NAME}){_SP}(?P<last>{_NAME}|{_UPPER})\b)")
_NAME_AGE = re.compile(
    rf"\b(?P<first>{_NAME_ANYWHERE})(?:{_SP}(?P<last>{_NAME_ANYWHERE}|{_UPPER_ANYWHERE}))?"
    rf"(?:,{_SP0}|{_SP0}\({_SP0}|{_SP})(?P<age>{_AGE})\)?"
)
_AGE_NAME = re.compile(rf"\bâgée?{_SP}de{_SP}\d{{1,2}}\s*(?:ans|mois),?{_SP}(?P<first>{_NAME})\b")
_CIVILITY_AGE = re.compile(
    rf"{_CIVILITY}{_SP}(?:{_NAME}{_SP})?(?:{_NAME}|{_UPPER})(?:,{_SP0}|{_SP0}\({_SP0})(?:{_AGE})\)?"
)

PATTERNS = [
    (
        "date_naissance",
        re.compile(
            rf"\b(?:né|née)\b[^.;:!?\n]{{0,40}}?(?:{_DATE})"
            rf"|\b(?:nés|nées)\s+le\s+(?:{_DATE})"
            r"|\b(?:né|née)\s+en\s+(?:19|20)\d{2}\b"
            rf"|\bnaissance\s*:\s*(?:le\s+)?(?:{_DATE})"
            r"|\bdates?\s+de\s+naissance\b",
            re.IGNORECASE,
        ),
    ),
    ("date_naissance", re.compile(r"\bDDN\b")),
    (
        "telephone",
        re.compile(r"(?<![\w+])(?:(?:\+|00)33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)"),
    ),
    # Parties bornées (64 caractères avant l'arobase, 63 par élément du domaine, 8 points
    # au plus : les longueurs permises d'une adresse) : « a.a.a.…@b » n'est pas relu depuis
    # chacun de ses points.
    (
        "email",
        re.compile(r"\b[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}\b"),
    ),
    (
        "adresse",
        re.compile(
            rf"\b\d{{1,4}}(?:{_SP0}(?i:bis|ter))?,?{_SP}"
            r"(?i:rue|avenue|av\.|boulevard|bd|chemin|impasse|allée|allee|place|route|quai|cours"
            rf"|square|lotissement|résidence|residence|hameau){_SP}"
            rf"(?:(?:de{_SP}la|de{_SP}l['’]|du|des|de|d['’]|la|le|les|l['’]){_SP0})?[{_UP}\d][\w'’\-]*"
            rf"(?:{_SP}(?:(?:de|du|des|la|le|les|et){_SP}|d['’]|l['’])*[{_UP}][\w'’\-]*)*"
            rf"(?:,?{_SP}\d{{5}}(?:{_SP}[{_UP}][\w'’\-]*(?:{_SP}[{_UP}][\w'’\-]*)*)?)?"
        ),
    ),
    (
        "nir",
        re.compile(
            r"(?<![\d\w])[12]\s?\d{2}\s?(?:0[1-9]|1[0-2])\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}"
            r"(?:\s?\d{2})?(?![\d\w])"
        ),
    ),
]


@cache
def prenoms() -> frozenset[str]:
    """Prénoms fréquents (sans accents), lus une fois à la première vérification."""
    words = []
    for line in PRENOMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


_ELISION = re.compile(r"^\w['’]")
_DEMONYM = re.compile(r"(?:ois|oise|ais|aise)$")


@lru_cache(maxsize=4096)  # un texte répète ses mots : chacun n'est réduit qu'une fois
def _plain(word: str) -> str:
    """Le mot en minuscules, sans accents ni apostrophe initiale (« N'Diaye » → « diaye »)."""
    word = _ELISION.sub("", word)
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_first_name(word: str) -> bool:
    plain = _plain(word)
    return plain in prenoms() or plain.split("-")[0] in prenoms()


def _is_surname(word: str | None) -> bool:
    """Un mot qui peut être un nom de famille : ni sigle connu, ni mot courant, ni gentilé."""
    if not word:
        return False
    if word.isupper():
        return word not in ACRONYMS and len(word) >= 2
    plain = _plain(word)
    if plain in NOT_NAMES:
        return False
    return _is_first_name(word) or not _DEMONYM.search(plain)


def _after_place_word(text: str, start: int) -> bool:
    previous = re.findall(r"[\w’']+", text[max(0, start - 30) : start])
    return bool(previous) and _plain(previous[-1]) in PLACE_WORDS


def _quoted(text: str):
    """Les passages entre guillemets : (début, fin), guillemets compris.

    Un guillemet ouvrant, au moins un caractère, puis le premier guillemet fermant, sur
    la même ligne et à 200 caractères au plus. Cherché à la main plutôt que par une
    expression : « ««««… » n'est ainsi lu qu'une fois.
    """
    position = 0
    for opening in _OPENING_QUOTE.finditer(text):
        start = opening.start()
        if start < position:
            continue
        closing = text.find(_QUOTES[opening.group()], start + 1, start + 202)
        if closing > start + 1 and text.find("\n", start + 1, closing) == -1:
            position = closing + 1
            yield start, position


def _names(text: str):
    """Les passages « nom » : (début, fin)."""
    for match in _CIVILITY_NAME.finditer(text):
        if match["n1"] in ("Le", "La", "Du", "De") and _is_surname(match["n2"]):
            yield match.start(), match.end("n2")  # « M. Le Gall », mais pas « M. Le Maire »
            continue
        if not _is_surname(match["n1"]):
            continue
        end = match.end("n2") if _is_surname(match["n2"]) else match.end("n1")
        yield match.start(), end
    for match in _RELATION_NAME.finditer(text):
        first, second = match["n1"], match["n2"]
        # « la mère de Lucas », « le père, Karim » : seulement devant un prénom courant.
        if match["sep"].strip() and (first.isupper() or not _is_first_name(first)):
            continue
        if not _is_surname(first):
            continue
        end = match.end("n2") if _is_surname(second) else match.end("n1")
        yield match.start(), end
    for start, end in _quoted(text):
        for match in _FIRST_LAST_ANYWHERE.finditer(text, start, end):
            if _is_first_name(match["first"]) and _is_surname(match["last"]):
                yield match.start(), match.end("last")
    for match in _FIRST_UPPER.finditer(text):
        if (
            _is_first_name(match["first"])
            and _is_surname(match["last"])
            and not _after_place_word(text, match.start())
        ):
            yield match.start(), match.end()
    for match in _UPPER_FIRST.finditer(text):
        if _is_surname(match["last"]) and _is_first_name(match["first"]):
            yield match.start(), match.end()
    for match in _FIRST_INITIAL.finditer(text):
        if match["bare"] in ("A", "Y") or not _is_first_name(match["first"]):
            continue
        if not _after_place_word(text, match.start()):
            yield match.start(), match.end()


def _ages(text: str):
    """Les passages « âge associé à une personne » : (début, fin)."""
    for match in _NAME_AGE.finditer(text):
        if _is_first_name(match["first"]) and (not match["last"] or _is_surname(match["last"])):
            yield match.start(), match.end()
    for match in _AGE_NAME.finditer(text):
        if _is_first_name(match["first"]):
            yield match.start(), match.end()
    for match in _CIVILITY_AGE.finditer(text):
        yield match.start(), match.end()


def _nir_valid(text: str) -> bool:
    digits = re.sub(r"\s", "", text).upper().replace("2A", "19").replace("2B", "18")
    if not digits.isdigit():
        return False
    if len(digits) == 13:
        return True
    return len(digits) == 15 and 97 - int(digits[:13]) % 97 == int(digits[13:])


def detect(text: str) -> list[Finding]:
    """Les passages qui ressemblent à des données personnelles, dans l'ordre du texte.

    Deux passages qui se chevauchent n'en font qu'un : le premier, et le plus long.
    """
    text = text or ""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if kind == "nir" and not _nir_valid(match.group(0)):
                continue
            spans.append((match.start(), match.end(), kind))
    spans.extend((start, end, "nom") for start, end in _names(text))
    spans.extend((start, end, "age_nom") for start, end in _ages(text))
    spans.sort(key=lambda span: (span[0], -span[1]))
    findings: list[Finding] = []
    for start, end, kind in spans:
        excerpt = text[start:end].strip()
        if findings and start < findings[-1].end:
            continue
        findings.append(Finding(kind, LABELS[kind], start, end, excerpt))
    return findings


def highlight(text: str, findings: list[Finding]) -> SafeString:
    """Le texte échappé, chaque passage signalé entouré de <mark>."""
    text = text or ""
    parts, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        parts.append(escape(text[position : finding.start]))
        parts.append(
            f'<mark title="{escape(finding.label)}">{escape(text[finding.start : finding.end])}</mark>'
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - chaque morceau est échappé ci-dessus

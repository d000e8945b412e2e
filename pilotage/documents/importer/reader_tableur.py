"""Import des fiches actions depuis un tableur (.xlsx ou .ods) : une ligne par fiche.

La ligne d'en-tête (parmi les premières lignes) nomme les colonnes dans n'importe quel
ordre, avec les libellés et synonymes du modèle Word (`labels.match_label`), plus le
numéro de fiche et les objectifs. Chaque ligne devient un brouillon (`parser.Draft`)
transformé par `assemble` comme une fiche lue dans un document : même `ImportResult`.
Mêmes règles de sûreté que pour Word (taille, archive piégée, XML, macros).
"""

import datetime
import io
import re
import zipfile
import zlib

from . import errors, safety
from .assemble import fiche_add, fiches_complete
from .blocks import Paragraph, clean_text, make_paragraphs
from .errors import ImportErreur
from .labels import match_label, normalize
from .parser import Draft
from .result import ImportResult, ImportWarning

TABLEUR_EXTENSIONS = (".xlsx", ".xlsm", ".ods", ".xls")
MAX_ROWS = 1000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 20
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

NOT_TABLEUR = "Ce fichier n'est pas un tableur Excel (.xlsx) ou OpenDocument (.ods) lisible."
OLD_XLS = (
    "Ce tableur est protégé par un mot de passe ou enregistré dans l'ancien format Excel "
    "(.xls) : enregistrez-le au format .xlsx sans mot de passe."
)
MACROS = "Ce tableur contient des macros : enregistrez-le au format .xlsx (sans macros)."
NO_HEADER = (
    "Aucune ligne d'en-tête reconnue : la première ligne du tableau doit nommer les "
    "colonnes (« Numéro », « Titre de la fiche », « Objectifs »…)."
)
TOO_MANY_ROWS = f"Ce tableur compte plus de {MAX_ROWS} lignes : découpez-le avant de l'importer."

_NUMERO_HEADER = re.compile(
    r"^(?:n|no|n°|num|numero|numeros|fiche|fiche action|fa)(?: de (?:la )?fiche(?: action)?)?"
    r"(?: n°| n| numero)?$"
)
_OBJECTIF_HEADER = re.compile(r"^(?:n° |numeros? )?objectifs?(?: nationaux| national| n°)?$")
_LIST_KEYS = {
    "acteurs",
    "calendrier",
    "indicateurs",
    "indicateurs_quantitatifs",
    "indicateurs_qualitatifs",
    "points_vigilance",
}


def is_tableur(filename: str) -> bool:
    return (filename or "").lower().endswith(TABLEUR_EXTENSIONS)


def parse_tableur(
    data: bytes, *, filename: str, known_objectifs: set[int] | None = None
) -> ImportResult:
    """Fiches lues dans un tableur ; lève `ImportErreur` (et rien d'autre)."""
    kind = check_tableur(data, filename=filename)
    rows = read_xlsx(data) if kind == "xlsx" else read_ods(data)
    try:
        return fiches_from_rows(rows, known_objectifs=known_objectifs)
    except ImportErreur:
        raise
    except Exception as exc:  # dernier recours : pas d'erreur 500
        raise ImportErreur(errors.UNREADABLE) from exc


# -- sûreté -------------------------------------------------------------------------


def check_tableur(data: bytes, *, filename: str = "") -> str:
    """ "xlsx" ou "ods" ; `ImportErreur` si le fichier est refusé."""
    if not data:
        raise ImportErreur(errors.EMPTY)
    if len(data) > safety.MAX_UPLOAD_BYTES:
        raise ImportErreur(errors.TOO_LARGE)
    if data.startswith(safety.OLE2_MAGIC):
        raise ImportErreur(OLD_XLS)
    if not data.startswith(safety.ZIP_MAGICS):
        raise ImportErreur(NOT_TABLEUR)
    if filename.lower().endswith(".xlsm"):
        raise ImportErreur(MACROS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive)
    except ImportErreur:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ImportErreur(errors.CORRUPT) from None
    except (NotImplementedError, RuntimeError):
        raise ImportErreur(NOT_TABLEUR) from None


def _check_archive(archive: zipfile.ZipFile) -> str:
    infos = archive.infolist()
    if safety.archive_too_big(infos):
        raise ImportErreur(errors.TOO_BIG_CONTENT)
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportErreur(errors.ODT_PROTECTED)
    names = {info.filename: info for info in infos}
    if safety.names_mention_macros(names):
        raise ImportErreur(MACROS)
    if "[Content_Types].xml" in names:
        types = safety.read_member(archive, names["[Content_Types].xml"]).decode("utf-8", "replace")
        if any(m in types.lower() for m in safety.MACRO_MARKERS):
            raise ImportErreur(MACROS)
        kind = "xlsx" if XLSX_MAIN in types else None
    elif "mimetype" in names:
        mimetype = safety.read_member(archive, names["mimetype"])[:200].decode("ascii", "replace")
        kind = "ods" if mimetype.strip() == ODS_MIMETYPE else None
    else:
        kind = None
    if kind is None:
        raise ImportErreur(NOT_TABLEUR)
    for name, info in names.items():
        if name.lower().endswith((".xml", ".rels")):
            safety._check_xml(safety.read_member(archive, info))
    return kind


# -- lecture ------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").strip()


def _bounded(rows) -> list[list[str]]:
    result = []
    for row in rows:
        if len(result) >= MAX_ROWS:
            raise ImportErreur(TOO_MANY_ROWS)
        result.append([_text(v) for v in list(row)[:MAX_COLUMNS]])
    return result


def read_xlsx(data: bytes) -> list[list[str]]:
    """Première feuille, valeurs seulement (openpyxl en lecture seule, formules non calculées)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        finally:
            workbook.close()
    except ImportErreur:
        raise
    except Exception as exc:  # un classeur inattendu ne fait pas d'erreur 500
        raise ImportErreur(errors.CORRUPT) from exc


def read_ods(data: bytes) -> list[list[str]]:
    """Première feuille ; les répétitions de lignes et de colonnes vides sont bornées."""
    from odfdo import Document

    try:
        document = Document(io.BytesIO(data))
        tables = document.body.get_tables()
        if not tables:
            return []
        rows = []
        for row in tables[0].traverse(end=MAX_ROWS + HEADER_SEARCH_ROWS):
            rows.append([cell.value for cell in row.traverse(end=MAX_COLUMNS - 1)])
        while rows and not any(v not in (None, "") for v in rows[-1]):
            rows.pop()
        return _bounded(rows)
    except ImportErreur:
        raise
    except Exception as exc:
        raise ImportErreur(errors.CORRUPT) from exc


# -- fiches -------------------------------------------------------------------------


def column_key(header: str) -> str | None:
    """Rubrique désignée par un en-tête de colonne, ou None."""
    norm = normalize(header).replace(":", " ").strip()
    norm = " ".join(norm.split())
    if not norm:
        return None
    if _NUMERO_HEADER.match(norm):
        return "numero"
    if _OBJECTIF_HEADER.match(norm):
        return "objectifs"
    return match_label(header)


def _header(rows: list[list[str]]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {col: column_key(text) for col, text in enumerate(row) if text}
        keys = {col: key for col, key in keys.items() if key}
        if len(keys) >= 2 and "numero" in keys.values() or len(keys) >= 3:
            return index, keys
    raise ImportErreur(NO_HEADER)


def _numero(text: str) -> int | None:
    match = re.search(r"\d+", text or "")
    if not match or int(match.group()) >= 1000:
        return None
    return int(match.group())


def _paragraphs(key: str, text: str) -> list[Paragraph]:
    paragraphs = make_paragraphs(text)
    if key in _LIST_KEYS and len(paragraphs) == 1 and ";" in paragraphs[0].text:
        return [Paragraph(clean_text(p), True) for p in paragraphs[0].text.split(";") if p.strip()]
    return paragraphs


def _draft(row: list[str], keys: dict[int, str]) -> Draft:
    draft = Draft()
    for col, key in keys.items():
        text = row[col] if col < len(row) else ""
        if not text:
            continue
        if key == "numero":
            draft.numero = _numero(text)
        elif key == "objectifs":
            numbers = [int(n) for n in re.findall(r"\d+", text) if int(n) < 1000]
            draft.objectifs.extend(n for n in numbers if n not in draft.objectifs)
            draft.entete_objectifs = clean_text(text) if re.search(r"[^\d\s,;et]", text) else ""
        elif key in ("titre", "departement", "referent"):
            setattr(draft, key, clean_text(text))
        else:
            draft.fields.setdefault(key, []).extend(_paragraphs(key, text))
    return draft


def fiches_from_rows(
    rows: list[list[str]], *, known_objectifs: set[int] | None = None
) -> ImportResult:
    """Une fiche par ligne non vide sous l'en-tête ; la ligne d'exemple du modèle est ignorée."""
    start, keys = _header(rows)
    result = ImportResult()
    header = rows[start]
    for col, text in enumerate(header):
        if text and col not in keys:
            result.warnings.append(
                ImportWarning(f"Colonne « {clean_text(text)[:80]} » non reconnue : ignorée.")
            )
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        filled = [text for text in row if text]
        if not filled:
            continue
        if normalize(filled[0]).startswith("exemple"):
            result.warnings.append(
                ImportWarning(f"Ligne {offset} : ligne d'exemple du modèle, ignorée.")
            )
            continue
        fiche_add(result, _draft(row, keys), known_objectifs=known_objectifs)
    return fiches_complete(result)


# -- modèle -------------------------------------------------------------------------

#: Colonnes du modèle téléchargeable ; l'exemple commence par « Exemple » (ligne ignorée).
MODELE_COLONNES = [
    ("Numéro", "Exemple : 1"),
    ("Objectifs", "1, 2"),
    ("Titre de la fiche", "Développer l'accueil familial de proximité"),
    ("Département concerné", "Conseil départemental"),
    ("Référent (personne ou institution)", "Direction enfance famille"),
    ("Constat du diagnostic", "Peu de places d'accueil familial dans le sud du département."),
    ("Objectif opérationnel", "Recruter 10 assistants familiaux."),
    ("Description de l'action", "Campagne de recrutement et formation."),
    ("Acteurs à mobiliser", "CAF ; PMI ; associations"),
    ("Moyens financiers prévisionnels", "Financement Etat : 12 000 € ; Financement CD : 12 000 €"),
    ("Calendrier prévisionnel", "Recrutement 2025 ; Formation 2026"),
    ("Indicateurs quantitatifs", "Nombre d'assistants familiaux recrutés"),
    ("Indicateurs qualitatifs", "Satisfaction des familles"),
    ("Points de vigilance", "Attractivité du métier"),
]


def modele_xlsx() -> bytes:
    """Tableur modèle : la ligne d'en-tête et une ligne d'exemple (ignorée à l'import)."""
    from pilotage.core.spreadsheets import xlsx_bytes

    return xlsx_bytes(
        "Fiches actions",
        [header for header, _ in MODELE_COLONNES],
        [[example for _, example in MODELE_COLONNES]],
    )

"""Contrôles de sûreté d'un fichier déposé, avant toute lecture par python-docx ou odfdo.

Rien n'est décompressé sans borne : les tailles déclarées de l'archive sont vérifiées
avant de lire quoi que ce soit (`zipfile` ne rend jamais plus que la taille déclarée,
et chaque lecture est de plus plafonnée). Les parties XML ne doivent contenir ni
DOCTYPE ni entité (aucun document Word ou ODF légitime n'en contient), ce qui écarte
les attaques par entités (« billion laughs », entités externes) quel que soit
l'analyseur XML utilisé ensuite. Elles doivent aussi être en UTF-8 (Word et LibreOffice
n'écrivent rien d'autre) : dans un autre encodage (UTF-16 ou UTF-32, avec ou sans BOM,
EBCDIC…), un DOCTYPE échapperait à cette recherche d'octets. Sont contrôlées les parties
nommées en .xml ou .rels et, pour Word, celles que `[Content_Types].xml` déclare XML
quel que soit leur nom (python-docx lit une partie d'après son type).

Les macros sont cherchées sans tenir compte de la casse (les types MIME n'en tiennent
pas compte) : nom du fichier, noms des parties, types de contenu, types de relations.

Un PDF (nommé .pdf, `%PDF-` en tête) n'est pas une archive : chacun de ses flux est décompressé
ici par morceaux, sans rien garder, pour refuser avant toute lecture par pdfminer (qui
décompresse un flux d'un seul tenant) un fichier dont les flux dépassent ensemble
`MAX_UNCOMPRESSED_BYTES` ; pages, chiffrement et durée sont bornés par `reader_pdf`.
"""

import io
import re
import zipfile
import zlib

from lxml import etree

from . import errors
from .errors import ImportErreur

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Un petit membre très compressible n'est pas dangereux (le total est déjà plafonné) :
# le rapport de compression n'est contrôlé qu'au-delà de cette taille.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 2000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WITHIN = 1024  # des octets parasites peuvent précéder l'en-tête d'un PDF
_INFLATE_CHUNK = 1024 * 1024

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: Marques d'un contenu à macros, en minuscules, cherchées dans les types de contenu
#: (application/vnd.ms-word.document.macroEnabled.main+xml, …template.macroEnabledTemplate…,
#: application/vnd.ms-office.vbaProject), les noms de parties (vbaProject.bin,
#: vbaData.xml).
MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata")
#: Types de relations vers les macros (…/office/2006/relationships/vbaProject et
#: …/wordVbaData), en minuscules ; une adresse de lien hypertexte ne les contient pas.
MACRO_RELATIONSHIPS = (b"relationships/vbaproject", b"relationships/wordvbadata")
MACRO_EXTENSIONS = (".docm", ".dotm")
ODT_MIMETYPES = ("application/vnd.oasis.opendocument.text",)
_FORBIDDEN_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"
_LEADING_SPACE = re.compile(rb"[ \t\r\n]*")
#: La déclaration XML (`<?xml version="1.0" encoding="UTF-8"?>`) tient en quelques
#: dizaines d'octets : au-delà de cette borne, la partie est refusée.
_XML_DECLARATION_MAX = 512
_DECLARED_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']{0,64})["']""")
_UTF8_NAMES = (b"utf-8", b"utf8")


def safe_xml_parser() -> etree.XMLParser:
    """Analyseur lxml sans résolution d'entités, sans réseau, sans DTD, taille bornée."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Contenu d'un membre, plafonné à sa taille déclarée (déjà contrôlée)."""
    limit = min(info.file_size, MAX_UNCOMPRESSED_BYTES)
    with archive.open(info) as handle:
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise ImportErreur(errors.TOO_BIG_CONTENT)
    return content


def check(data: bytes, *, filename: str = "") -> str:
    """Vérifie le fichier et renvoie son format, "docx", "odt" ou "pdf" ; lève
    `ImportErreur` sinon."""
    if not data:
        raise ImportErreur(errors.EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportErreur(errors.TOO_LARGE)
    if filename.lower().endswith(".pdf"):
        if PDF_MAGIC not in data[:_PDF_MAGIC_WITHIN]:
            raise ImportErreur(errors.NOT_PDF)
        _check_pdf_streams(data)
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        raise ImportErreur(errors.OLE_PROTECTED)
    if not data.startswith(ZIP_MAGICS):
        raise ImportErreur(errors.NOT_WORD)
    if filename.lower().endswith(MACRO_EXTENSIONS):
        raise ImportErreur(errors.MACROS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive)
    except ImportErreur:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        raise ImportErreur(errors.CORRUPT) from exc
    except (NotImplementedError, RuntimeError) as exc:
        # Méthode de compression inconnue, membre chiffré par le zip lui-même.
        raise ImportErreur(errors.NOT_WORD) from exc


def archive_too_big(infos: list[zipfile.ZipInfo]) -> bool:
    """Vrai si l'archive dépasse les bornes, lues dans son répertoire avant toute
    décompression : nombre de membres, taille décompressée totale, taux de compression
    d'un gros membre (archive piégée). Pour tout dépôt d'archive, ici et ailleurs."""
    if len(infos) > MAX_MEMBERS:
        return True
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            return True
    return total > MAX_UNCOMPRESSED_BYTES


def names_mention_macros(names) -> bool:
    """Vrai si un nom de membre de l'archive dit des macros (projet VBA, « macroEnabled »,
    dossiers `basic/` ou `scripts/` d'OpenDocument)."""
    lowered = [name.lower() for name in names]
    return any(marker in name for name in lowered for marker in MACRO_MARKERS) or any(
        name.startswith(("basic/", "scripts/")) and not name.endswith("/") for name in lowered
    )


def _check_archive(archive: zipfile.ZipFile) -> str:
    infos = archive.infolist()
    if archive_too_big(infos):
        raise ImportErreur(errors.TOO_BIG_CONTENT)
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportErreur(errors.ODT_PROTECTED)
    names = {info.filename: info for info in infos}
    if "[Content_Types].xml" in names:
        kind, xml_parts = "docx", _check_ooxml(archive, names)
    elif "mimetype" in names:
        kind, xml_parts = _check_odf(archive, names), set()
    else:
        raise ImportErreur(errors.NOT_WORD)
    for name, info in names.items():
        lowered = name.lower()
        if name in xml_parts or lowered.endswith((".xml", ".rels")):
            content = read_member(archive, info)
            _check_xml(content)
            if lowered.endswith(".rels") and _rels_mention_macros(content):
                raise ImportErreur(errors.MACROS)
    return kind


def _mentions_macros(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in MACRO_MARKERS)


def _rels_mention_macros(content: bytes) -> bool:
    lowered = content.lower()
    return any(relationship in lowered for relationship in MACRO_RELATIONSHIPS)


def _check_xml(content: bytes) -> None:
    """Refuse une partie XML qui n'est pas en UTF-8, ou qui contient DOCTYPE ou entité."""
    if not _is_utf8_xml(content):
        raise ImportErreur(errors.XML_ENCODING)
    if _FORBIDDEN_XML.search(content):
        raise ImportErreur(errors.XML_FORBIDDEN)


def _is_utf8_xml(content: bytes) -> bool:
    """UTF-8, avec ou sans BOM. L'octet NUL, interdit en XML, trahit l'UTF-16 ou l'UTF-32
    sans BOM (« <\\0?\\0x\\0 », « \\0<\\0? ») ; le premier caractère doit être « < »
    (ni BOM UTF-16 ou UTF-32, ni EBCDIC) ; l'encodage déclaré, s'il y en a un, est l'UTF-8.
    Une partie vide passe (LibreOffice en écrit)."""
    if b"\x00" in content:
        return False
    start = len(_UTF8_BOM) if content.startswith(_UTF8_BOM) else 0
    start = _LEADING_SPACE.match(content, start).end()
    if start == len(content):
        return True
    if content[start : start + 1] != b"<":
        return False
    if not content.startswith(b"<?xml", start):
        return True
    end = content.find(b"?>", start, start + _XML_DECLARATION_MAX)
    if end < 0:
        return False
    declared = _DECLARED_ENCODING.search(content, start, end)
    return declared is None or declared.group(1).strip().lower() in _UTF8_NAMES


def _is_xml_type(content_type: str) -> bool:
    lowered = content_type.strip().lower()
    return lowered.endswith(("+xml", "/xml"))


def _check_ooxml(archive: zipfile.ZipFile, names: dict) -> set[str]:
    """Vérifie un document Word ; renvoie les parties que `[Content_Types].xml` déclare
    XML (par leur nom ou leur extension), à contrôler comme les autres parties XML."""
    if any(_mentions_macros(name) for name in names):
        raise ImportErreur(errors.MACROS)
    raw = read_member(archive, names["[Content_Types].xml"])
    _check_xml(raw)
    try:
        root = etree.fromstring(raw, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportErreur(errors.CORRUPT) from exc
    overrides, defaults, types = set(), set(), set()
    for element in root:
        if not isinstance(element.tag, str) or not element.tag.endswith(("Override", "Default")):
            continue
        content_type = element.get("ContentType", "")
        types.add(content_type)
        if _is_xml_type(content_type):
            overrides.add(element.get("PartName", "").lstrip("/").lower())
            defaults.add(element.get("Extension", "").lower())
    if any(_mentions_macros(t) for t in types):
        raise ImportErreur(errors.MACROS)
    if DOCX_MAIN not in types:
        raise ImportErreur(errors.NOT_WORD)
    overrides.discard("")
    defaults.discard("")
    return {
        name
        for name in names
        if name.lower() in overrides or name.lower().rpartition(".")[2] in defaults
    }


def _check_odf(archive: zipfile.ZipFile, names: dict) -> str:
    mimetype = read_member(archive, names["mimetype"])[:200].decode("ascii", "replace").strip()
    if mimetype not in ODT_MIMETYPES:
        raise ImportErreur(errors.NOT_WORD)
    manifest = names.get("META-INF/manifest.xml")
    if manifest is not None and b"encryption-data" in read_member(archive, manifest):
        raise ImportErreur(errors.ODT_PROTECTED)
    if any(
        name.lower().startswith(("basic/", "scripts/")) and not name.endswith("/") for name in names
    ):
        raise ImportErreur(errors.ODT_MACROS)
    if "content.xml" not in names:
        raise ImportErreur(errors.CORRUPT)
    return "odt"


def _check_pdf_streams(data: bytes) -> None:
    """Refuse un PDF dont les flux compressés (Flate) dépassent ensemble
    `MAX_UNCOMPRESSED_BYTES` une fois décompressés ; un flux d'un autre filtre (image
    JPEG…) ou endommagé ne se décompresse pas et ne compte pas. Recherche d'octets, sans
    expression régulière : linéaire sur un fichier fabriqué."""
    total, position = 0, 0
    while (start := data.find(b"stream", position)) >= 0:
        position = start + len(b"stream")
        if data[start - 3 : start] == b"end":
            continue
        if data[position : position + 2] == b"\r\n":
            position += 2
        elif data[position : position + 1] in (b"\n", b"\r"):
            position += 1
        end = data.find(b"endstream", position)
        if end < 0:
            return
        total += _inflated_size(data[position:end], MAX_UNCOMPRESSED_BYTES - total)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ImportErreur(errors.TOO_BIG_CONTENT)
        position = end + len(b"endstream")


def _inflated_size(raw: bytes, budget: int) -> int:
    """Taille décompressée d'un flux Flate, sans dépasser `budget` + un morceau ; 0 si le
    flux n'est pas compressé par Flate."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        size += len(inflater.decompress(raw, _INFLATE_CHUNK))
        while inflater.unconsumed_tail and not inflater.eof and size <= budget:
            produced = len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_CHUNK))
            if not produced:  # plus rien ne sort : la suite n'est pas du Flate
                break
            size += produced
    except zlib.error:
        return size
    return size

"""Contrôles de sûreté d'un fichier déposé, avant toute lecture par python-docx ou odfdo.

Rien n'est décompressé sans borne : les tailles déclarées de l'archive sont vérifiées
avant de lire quoi que ce soit (`zipfile` ne rend jamais plus que la taille déclarée,
et chaque lecture est de plus plafonnée). Les parties XML ne doivent contenir ni
DOCTYPE ni entité (aucun document Word ou ODF légitime n'en contient), ce qui écarte
les attaques par entités (« billion laughs », entités externes) quel que soit
l'analyseur XML utilisé ensuite.
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

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject",
)
ODT_MIMETYPES = ("application/vnd.oasis.opendocument.text",)
_FORBIDDEN_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


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
    """Vérifie le fichier et renvoie son format, "docx" ou "odt" ; lève `ImportErreur` sinon."""
    if not data:
        raise ImportErreur(errors.EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportErreur(errors.TOO_LARGE)
    if data.startswith(OLE2_MAGIC):
        raise ImportErreur(errors.OLE_PROTECTED)
    if not data.startswith(ZIP_MAGICS):
        raise ImportErreur(errors.NOT_WORD)
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


def _check_archive(archive: zipfile.ZipFile) -> str:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportErreur(errors.TOO_BIG_CONTENT)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise ImportErreur(errors.TOO_BIG_CONTENT)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportErreur(errors.TOO_BIG_CONTENT)
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportErreur(errors.ODT_PROTECTED)
    names = {info.filename: info for info in infos}
    if "[Content_Types].xml" in names:
        kind = _check_ooxml(archive, names)
    elif "mimetype" in names:
        kind = _check_odf(archive, names)
    else:
        raise ImportErreur(errors.NOT_WORD)
    for name, info in names.items():
        if name.lower().endswith((".xml", ".rels")) and _has_forbidden_xml(
            read_member(archive, info)
        ):
            raise ImportErreur(errors.XML_FORBIDDEN)
    return kind


def _has_forbidden_xml(content: bytes) -> bool:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00<" in content[:4]:
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True
    return bool(_FORBIDDEN_XML.search(content))


def _check_ooxml(archive: zipfile.ZipFile, names: dict) -> str:
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportErreur(errors.MACROS)
    raw = read_member(archive, names["[Content_Types].xml"])
    if _has_forbidden_xml(raw):
        raise ImportErreur(errors.XML_FORBIDDEN)
    try:
        root = etree.fromstring(raw, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportErreur(errors.CORRUPT) from exc
    types = {
        element.get("ContentType", "")
        for element in root
        if isinstance(element.tag, str) and element.tag.endswith(("Override", "Default"))
    }
    if any(t in MACRO_TYPES for t in types):
        raise ImportErreur(errors.MACROS)
    if DOCX_MAIN not in types:
        raise ImportErreur(errors.NOT_WORD)
    return "docx"


def _check_odf(archive: zipfile.ZipFile, names: dict) -> str:
    mimetype = read_member(archive, names["mimetype"])[:200].decode("ascii", "replace").strip()
    if mimetype not in ODT_MIMETYPES:
        raise ImportErreur(errors.NOT_WORD)
    manifest = names.get("META-INF/manifest.xml")
    if manifest is not None and b"encryption-data" in read_member(archive, manifest):
        raise ImportErreur(errors.ODT_PROTECTED)
    if any(name.startswith(("Basic/", "Scripts/")) and not name.endswith("/") for name in names):
        raise ImportErreur(errors.ODT_MACROS)
    if "content.xml" not in names:
        raise ImportErreur(errors.CORRUPT)
    return "odt"

"""Fichiers déposés ou archivés (traces des relevés, documents importés, comptes rendus
validés) : rangement privé et téléchargement contrôlé.

Aucune route ne sert le dossier des fichiers (`MEDIA_ROOT`) : chaque fichier n'est lu
que par une vue qui a d'abord vérifié que la personne voit l'objet auquel il appartient,
puis qui répond par `private_file_response`. Celle-ci lit par l'API de stockage (disque
local ou S3 de la même façon), déduit le type des octets eux-mêmes — jamais du nom
donné au dépôt —, force le téléchargement (`Content-Disposition: attachment`), interdit
au navigateur de deviner un autre type (`nosniff`) et toute mise en cache partagée.

Les fichiers sont rangés sous un nom aléatoire (`PrivateUploadTo`) : le chemin d'un
fichier ne dit rien de son contenu et ne permet pas d'en deviner un autre.
"""

import re
import secrets
import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible

OCTET_STREAM = "application/octet-stream"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT_UTF8 = "text/plain; charset=utf-8"
TEXT = "text/plain"

#: Extensions admises pour chaque type reconnu ; la première est celle qu'on donne au
#: fichier téléchargé quand son nom en porte une autre.
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    ODS: (".ods",),
    PPTX: (".pptx",),
    ODP: (".odp",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    TEXT_UTF8: (".txt", ".csv"),
    TEXT: (".txt", ".csv"),
    OCTET_STREAM: (".bin",),
}
_STORED_SUFFIXES = frozenset(ext for exts in EXTENSIONS.values() for ext in exts)

HEAD_BYTES = 8192
MAX_ZIP_MEMBERS = 5000
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ODF_TYPES = {ODT: ODT, ODS: ODS, ODP: ODP}
_OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
# Octets de contrôle qui n'apparaissent pas dans un texte (tabulation, sauts de ligne et
# de page exceptés) : une classe de caractères, linéaire.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"\\/:;*?<>|]')

SNIFF_ERRORS = (
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
)


# --- Type réel d'après les octets ------------------------------------------------------


def sniff_content_type(handle) -> str:
    """Type d'un fichier ouvert en binaire et positionnable, lu dans ses octets. Inconnu,
    ambigu ou illisible : `application/octet-stream`. Le fichier est remis au début."""
    try:
        head = handle.read(HEAD_BYTES)
        content_type = _sniff_head(head)
        if content_type == "zip":
            handle.seek(0)
            content_type = _sniff_zip(handle)
    except SNIFF_ERRORS:
        content_type = OCTET_STREAM
    handle.seek(0)
    return content_type


def _sniff_head(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if _BINARY_BYTES.search(head):
        return OCTET_STREAM
    return TEXT_UTF8 if _is_utf8(head) else TEXT


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Un caractère coupé par la fin de l'extrait n'est pas une erreur.
        return len(head) == HEAD_BYTES and exc.start >= len(head) - 3
    return True


def _sniff_zip(handle) -> str:
    """Word, tableur ou OpenDocument d'après les membres de l'archive (répertoire central
    seulement, et au plus 100 octets décompressés) ; un document à macros n'est pas
    présenté comme un document ordinaire."""
    with zipfile.ZipFile(handle) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            return OCTET_STREAM
        names = {info.filename: info for info in infos}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return OCTET_STREAM
        if "mimetype" in names:
            with archive.open(names["mimetype"]) as member:
                declared = member.read(100).decode("ascii", "replace").strip()
            return _ODF_TYPES.get(declared, OCTET_STREAM)
    if "[Content_Types].xml" not in names:
        return OCTET_STREAM
    found = {kind for part, kind in _OOXML_MAIN_PARTS.items() if part in names}
    return found.pop() if len(found) == 1 else OCTET_STREAM


# --- Téléchargement ---------------------------------------------------------------------


def download_name(name: str, content_type: str) -> str:
    """Nom proposé au téléchargement : sans chemin ni caractère de contrôle, borné, et dont
    l'extension est toujours celle du type réel (« poly.html » d'un Word → « poly.docx »)."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    path = PurePosixPath(name or "fichier")
    stem = path.stem.strip(" .")[:120] or "fichier"
    extensions = EXTENSIONS.get(content_type, EXTENSIONS[OCTET_STREAM])
    suffix = path.suffix.lower()
    return stem + (suffix if suffix in extensions else extensions[0])


def attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """En-têtes de tout fichier téléchargé : pièce jointe nommée (forme ASCII de secours et
    forme UTF-8 de la RFC 6266), pas de type deviné par le navigateur, pas de cache."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE_NAME_CHARS.sub("_", ascii_name).strip(" .") or "fichier"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


def private_file_response(field_file, filename: str) -> FileResponse:
    """Sert un fichier enregistré dont la vue a déjà vérifié l'accès. Le type vient des
    octets, le nom proposé de `filename` (jamais du chemin de stockage). Fichier absent ou
    illisible : 404."""
    if not field_file:
        raise Http404("Fichier introuvable.")
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except OSError as exc:
        raise Http404("Fichier introuvable.") from exc
    try:
        content_type = sniff_content_type(handle)
    except OSError as exc:
        handle.close()
        raise Http404("Fichier illisible.") from exc
    response = FileResponse(handle, content_type=content_type)
    return attachment(response, download_name(filename, content_type))


# --- Rangement --------------------------------------------------------------------------


@deconstructible
class PrivateUploadTo:
    """`upload_to` des fichiers privés : `<dossier>/<année>/<32 chiffres hexadécimaux><.ext>`.
    Le nom déposé n'est pas repris (il reste en base, à côté) ; seule son extension l'est,
    si elle est celle d'un type reconnu."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(str(filename)).suffix.lower()
        if suffix not in _STORED_SUFFIXES:
            suffix = ""
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{suffix}"

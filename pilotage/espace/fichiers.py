"""Contrôle d'un fichier déposé dans l'espace partagé, avant tout enregistrement.

Le type est lu dans les octets (`core.files.sniff_content_type`), jamais dans le nom :
un programme renommé en « .pdf » est refusé, un document Word nommé « .pdf » est
accepté comme document Word (et téléchargé sous « .docx »). Les documents bureautiques
sont des archives : elles sont inspectées avec les bornes et les marques de macros de
l'import des fiches (`documents.importer.safety`) — nombre de membres, taille
décompressée, taux de compression, chiffrement, macros, XML sans DOCTYPE ni entité —
sans rien décompresser au-delà de la taille déclarée.
"""

import io
import zipfile
import zlib

from django.core.exceptions import ValidationError

from pilotage.core import files
from pilotage.documents.importer import safety
from pilotage.documents.importer.errors import ImportErreur

MAX_BYTES = 20 * 1024 * 1024
MAX_LABEL = "20 Mo"

#: Types acceptés (lus dans les octets) et leur nom dans les messages et les listes.
TYPES_ACCEPTES = {
    files.PDF: "PDF",
    files.DOCX: "Word (DOCX)",
    files.ODT: "OpenDocument texte (ODT)",
    files.XLSX: "Excel (XLSX)",
    files.ODS: "OpenDocument tableur (ODS)",
    files.PPTX: "PowerPoint (PPTX)",
    files.ODP: "OpenDocument présentation (ODP)",
    files.PNG: "image PNG",
    files.JPEG: "image JPEG",
}
FORMATS_TEXTE = "PDF, DOCX, ODT, XLSX, ODS, PPTX, ODP, PNG ou JPEG"
#: Ce que le formulaire annonce (attribut `accept` et texte d'aide).
ACCEPT = ".pdf,.docx,.odt,.xlsx,.ods,.pptx,.odp,.png,.jpg,.jpeg"
AIDE = f"Formats acceptés : {FORMATS_TEXTE} ; {MAX_LABEL} au plus."

VIDE = "Le fichier est vide."
TROP_GROS = f"Le fichier dépasse la taille maximale de {MAX_LABEL}."
FORMAT_REFUSE = (
    "Format non accepté : d'après son contenu (et non son nom), ce fichier n'est pas un "
    f"{FORMATS_TEXTE}."
)
ANCIEN_FORMAT = (
    "Ce fichier est protégé par un mot de passe ou enregistré dans un ancien format "
    "(.doc, .xls, .ppt) : enregistrez-le au format .docx, .xlsx, .pptx ou OpenDocument, "
    "sans mot de passe."
)
ARCHIVE_PIEGEE = (
    "Ce fichier est refusé : son contenu décompressé est anormalement volumineux "
    "(compression suspecte)."
)
ENDOMMAGE = "Ce fichier est endommagé : ouvrez-le et enregistrez-le de nouveau avant de le déposer."
CHIFFRE = "Ce fichier est protégé par un mot de passe : enregistrez-le sans mot de passe."
MACROS = (
    "Ce fichier contient des macros : enregistrez-le sans macros (.docx, .xlsx, .pptx ou "
    "OpenDocument) avant de le déposer."
)
XML_REFUSE = (
    "Ce fichier est refusé : il contient des déclarations XML non autorisées ; "
    "enregistrez-le de nouveau depuis votre logiciel."
)
_MACRO_EXTENSIONS = (".docm", ".dotm", ".xlsm", ".xltm", ".pptm", ".potm")


def fichier_verifier(data: bytes, *, filename: str = "") -> str:
    """Le type réel d'un fichier acceptable ; `ValidationError` (message en français) sinon."""
    if not data:
        raise ValidationError(VIDE, code="vide")
    if len(data) > MAX_BYTES:
        raise ValidationError(TROP_GROS, code="trop_gros")
    if data.startswith(safety.OLE2_MAGIC):
        raise ValidationError(ANCIEN_FORMAT, code="ancien_format")
    if data.startswith(safety.ZIP_MAGICS):
        if filename.lower().endswith(_MACRO_EXTENSIONS):
            raise ValidationError(MACROS, code="macros")
        _archive_verifier(data)
    content_type = files.sniff_content_type(io.BytesIO(data))
    if content_type not in TYPES_ACCEPTES:
        raise ValidationError(FORMAT_REFUSE, code="format")
    return content_type


def _archive_verifier(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _membres_verifier(archive)
    except ValidationError:
        raise
    except ImportErreur as exc:
        raise ValidationError(XML_REFUSE if "XML" in exc.message else ARCHIVE_PIEGEE) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ValidationError(ENDOMMAGE, code="endommage") from None
    except (NotImplementedError, RuntimeError):
        raise ValidationError(FORMAT_REFUSE, code="format") from None


def _membres_verifier(archive: zipfile.ZipFile) -> None:
    """Bornes de l'archive (avant toute lecture), chiffrement, macros, parties XML."""
    infos = archive.infolist()
    if safety.archive_too_big(infos):
        raise ValidationError(ARCHIVE_PIEGEE, code="archive")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ValidationError(CHIFFRE, code="chiffre")
    names = {info.filename: info for info in infos}
    if safety.names_mention_macros(names):
        raise ValidationError(MACROS, code="macros")
    manifest = names.get("META-INF/manifest.xml")
    if manifest is not None and b"encryption-data" in safety.read_member(archive, manifest):
        raise ValidationError(CHIFFRE, code="chiffre")
    for name, info in names.items():
        if not name.lower().endswith((".xml", ".rels")):
            continue
        content = safety.read_member(archive, info)
        safety._check_xml(content)
        lowered_content = content.lower()
        if name == "[Content_Types].xml" and any(
            marker.encode() in lowered_content for marker in safety.MACRO_MARKERS
        ):
            raise ValidationError(MACROS, code="macros")
        if any(rel in lowered_content for rel in safety.MACRO_RELATIONSHIPS):
            raise ValidationError(MACROS, code="macros")

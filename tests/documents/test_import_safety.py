"""Import : fichiers refusés ou illisibles, chacun avec son message d'une ligne en français."""

import io
import struct
import zipfile

import pytest

from pilotage.documents import importer
from pilotage.documents.importer import MAX_UPLOAD_BYTES, ImportErreur, errors, parse_document
from pilotage.documents.importer.reader_docx import read_docx

from .docx_builder import FicheSpec, build_docx, build_odt

NOT_WORD = "Ce fichier n'est pas un document Word (.docx) ou OpenDocument (.odt) lisible."


@pytest.fixture(scope="module")
def valid_docx() -> bytes:
    return build_docx(FicheSpec())


def rezip(data: bytes, *, replace=None, add=None, remove=(), compression=zipfile.ZIP_DEFLATED):
    """Réécrit une archive : membres remplacés, ajoutés ou retirés."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            if info.filename in remove:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def refused(data: bytes, filename: str = "fiches.docx") -> str:
    with pytest.raises(ImportErreur) as caught:
        parse_document(data, filename=filename)
    message = str(caught.value)
    assert "\n" not in message and message
    return message


def test_empty_file():
    assert refused(b"") == "Le fichier est vide."


def test_file_over_the_size_limit():
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    data = b"PK\x03\x04" + b"\0" * MAX_UPLOAD_BYTES
    assert refused(data) == "Le fichier dépasse la taille maximale de 10 Mo."


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
        "FICHE ACTION N°1\nConstat du diagnostic\tTexte\n".encode(),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"{\\rtf1\\ansi FICHE ACTION N 1}",
        b"<html><body>FICHE ACTION N\xc2\xb01</body></html>",
    ],
    ids=["pdf", "texte", "png", "jpeg", "rtf", "html"],
)
def test_not_a_word_or_odf_file(data):
    assert refused(data) == NOT_WORD


def test_other_office_documents_are_not_word(valid_docx):
    xlsx_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    assert refused(rezip(valid_docx, replace={"[Content_Types].xml": xlsx_types})) == NOT_WORD
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert refused(ods.getvalue(), "tableau.odt") == NOT_WORD
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("fiche.txt", "FICHE ACTION N°1")
    assert refused(plain_zip.getvalue()) == NOT_WORD


@pytest.mark.parametrize("cut", [30, 0.5, -10])
def test_corrupt_zip(valid_docx, cut):
    end = cut if isinstance(cut, int) else int(len(valid_docx) * cut)
    assert refused(valid_docx[:end]) == errors.CORRUPT


def test_password_protected_or_legacy_doc():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert refused(ole, "protege.docx") == (
        "Ce document est protégé par un mot de passe ou enregistré dans l'ancien format Word "
        "(.doc) : enregistrez-le au format .docx sans mot de passe."
    )


MACROS = (
    "Ce document contient des macros : enregistrez-le au format .docx (sans macros) "
    "avant de l'importer."
)


def test_macro_enabled_content_type(valid_docx):
    types = zipfile.ZipFile(io.BytesIO(valid_docx)).read("[Content_Types].xml")
    docm = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert docm != types
    assert refused(rezip(valid_docx, replace={"[Content_Types].xml": docm}), "f.docm") == MACROS


def test_vba_project_part(valid_docx):
    assert refused(rezip(valid_docx, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})) == MACROS


VBA_PROJECT = "application/vnd.ms-office.vbaProject"


def _with_types(data: bytes, extra: bytes) -> bytes:
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    return rezip(
        data, replace={"[Content_Types].xml": types.replace(b"</Types>", extra + b"</Types>")}
    )


@pytest.mark.parametrize(
    "content_type", [VBA_PROJECT.upper(), " Application/VND.ms-Office.VbaProject "]
)
def test_vba_part_under_an_upper_case_content_type(valid_docx, content_type):
    """Les types MIME ne tiennent pas compte de la casse : le nom de la partie, lui, ne dit
    rien (« macros.bin »)."""
    override = f'<Override PartName="/word/macros.bin" ContentType="{content_type}"/>'.encode()
    data = rezip(_with_types(valid_docx, override), add={"word/macros.bin": b"\xd0\xcf\x11\xe0"})
    assert refused(data) == MACROS


def test_vba_part_declared_by_extension_in_upper_case(valid_docx):
    default = f'<Default Extension="BIN" ContentType="{VBA_PROJECT.upper()}"/>'.encode()
    data = rezip(_with_types(valid_docx, default), add={"word/m.BIN": b"\xd0\xcf\x11\xe0"})
    assert refused(data) == MACROS


def test_macro_enabled_main_type_in_another_case(valid_docx):
    types = zipfile.ZipFile(io.BytesIO(valid_docx)).read("[Content_Types].xml")
    docm = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"APPLICATION/VND.MS-WORD.DOCUMENT.MACROENABLED.MAIN+XML",
    )
    assert refused(rezip(valid_docx, replace={"[Content_Types].xml": docm})) == MACROS


def test_vba_relationship_or_part_name_in_upper_case(valid_docx):
    assert refused(rezip(valid_docx, add={"word/VBAPROJECT.BIN": b"\xd0\xcf"})) == MACROS
    rels = zipfile.ZipFile(io.BytesIO(valid_docx)).read("word/_rels/document.xml.rels")
    vba = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        b'VBAPROJECT" Target="m.bin"/></Relationships>',
    )
    data = rezip(
        valid_docx, replace={"word/_rels/document.xml.rels": vba}, add={"word/m.bin": b"x"}
    )
    assert refused(data) == MACROS


@pytest.mark.parametrize("filename", ["fiches.docm", "Modele.DOTM", "fiches.Docm"])
def test_macro_enabled_file_names_are_refused(valid_docx, filename):
    assert refused(valid_docx, filename) == MACROS


def test_odt_with_basic_macros_in_another_case():
    data = rezip(build_odt(FicheSpec()), add={"basic/Standard/Module1.xml": "<m/>"})
    assert refused(data, "f.odt") == errors.ODT_MACROS


def test_odt_with_basic_macros():
    data = rezip(build_odt(FicheSpec()), add={"Basic/Standard/Module1.xml": "<m/>"})
    assert refused(data, "f.odt") == (
        "Ce document contient des macros : enregistrez-le au format .odt (sans macros) "
        "avant de l'importer."
    )


def test_encrypted_odt():
    data = build_odt(FicheSpec())
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("META-INF/manifest.xml")
    encrypted = manifest.replace(
        b"</manifest:manifest>",
        b"<manifest:file-entry manifest:full-path='x'><manifest:encryption-data/>"
        b"</manifest:file-entry></manifest:manifest>",
    )
    assert refused(rezip(data, replace={"META-INF/manifest.xml": encrypted}), "f.odt") == (
        errors.ODT_PROTECTED
    )


def test_zip_bomb_by_compression_ratio(valid_docx):
    bomb = rezip(valid_docx, add={"word/media/image1.bin": b"\0" * (3 * 1024 * 1024)})
    assert refused(bomb) == errors.TOO_BIG_CONTENT


def _forge_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Annonce une taille décompressée mensongère dans le répertoire central de l'archive."""
    raw = bytearray(data)
    name = member.encode()
    start = raw.find(b"PK\x01\x02")
    while start != -1:
        name_length = struct.unpack_from("<H", raw, start + 28)[0]
        if raw[start + 46 : start + 46 + name_length] == name:
            struct.pack_into("<I", raw, start + 24, size)
            return bytes(raw)
        start = raw.find(b"PK\x01\x02", start + 4)
    raise AssertionError(member)


def test_zip_bomb_by_declared_total_size(valid_docx, monkeypatch):
    forged = _forge_declared_size(valid_docx, "word/document.xml", 200 * 1024 * 1024)
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a))
    assert refused(forged) == errors.TOO_BIG_CONTENT
    assert opened == []  # refusé sur les tailles déclarées, sans rien décompresser


def test_lying_declared_size_is_capped(valid_docx):
    """Un membre plus gros que sa taille déclarée n'est jamais lu au-delà."""
    forged = _forge_declared_size(valid_docx, "word/document.xml", 10)
    assert refused(forged) in (errors.CORRUPT, errors.UNREADABLE)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>FICHE ACTION N 1 &lol3;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>FICHE ACTION N 1 &secret;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_xml_entities_are_refused(valid_docx, xml):
    assert refused(rezip(valid_docx, replace={"word/document.xml": xml})) == errors.XML_FORBIDDEN
    utf16 = xml.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    data = rezip(valid_docx, replace={"word/document.xml": utf16.encode("utf-16")})
    assert refused(data) == XML_ENCODING


XML_ENCODING = (
    "Ce document est refusé : une de ses parties XML n'est pas encodée en UTF-8 ; "
    "enregistrez-le de nouveau depuis votre traitement de texte."
)


def _declaring(xml: bytes, encoding: str) -> str:
    return xml.decode().replace('version="1.0"', f'version="1.0" encoding="{encoding}"', 1)


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        ("UTF-16", "utf-16-le"),  # sans BOM : « <\0?\0x\0m\0l\0 »
        ("UTF-16", "utf-16-be"),  # sans BOM : « \0<\0?\0x\0m\0l »
        ("UTF-16", "utf-16"),  # avec BOM
        ("UTF-32", "utf-32"),
        ("IBM500", "cp500"),  # EBCDIC : aucun octet « <!DOCTYPE » lisible
        ("ISO-8859-1", "latin-1"),
    ],
    ids=["utf16le-sans-bom", "utf16be-sans-bom", "utf16-bom", "utf32", "ebcdic", "latin1"],
)
@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_xml_parts_not_in_utf8_are_refused(valid_docx, xml, declared, codec):
    """Un DOCTYPE écrit dans un autre encodage échappe à la recherche d'octets : toute partie
    XML qui n'est pas en UTF-8 est refusée (Word et LibreOffice n'écrivent que de l'UTF-8)."""
    encoded = _declaring(xml, declared).encode(codec)
    assert refused(rezip(valid_docx, replace={"word/document.xml": encoded})) == XML_ENCODING


def test_an_harmless_utf16_part_without_bom_is_refused_too(valid_docx):
    rels = zipfile.ZipFile(io.BytesIO(valid_docx)).read("_rels/.rels")
    utf16 = rels.decode().replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16-le")
    assert refused(rezip(valid_docx, replace={"_rels/.rels": utf16})) == XML_ENCODING


def test_odt_part_in_utf16_without_bom_is_refused():
    data = build_odt(FicheSpec())
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    utf16 = content.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16-le")
    assert refused(rezip(data, replace={"content.xml": utf16}), "f.odt") == XML_ENCODING


def test_xml_part_under_a_name_without_xml_extension_is_checked(valid_docx):
    """python-docx lit une partie d'après son type déclaré, pas d'après son extension."""
    archive = zipfile.ZipFile(io.BytesIO(valid_docx))
    types = archive.read("[Content_Types].xml").replace(b'"/word/document.xml"', b'"/word/doc.dat"')
    rels = archive.read("word/_rels/document.xml.rels")
    data = rezip(
        valid_docx,
        replace={"[Content_Types].xml": types},
        remove=("word/document.xml", "_rels/.rels"),
        add={
            "word/doc.dat": BILLION_LAUGHS,
            "_rels/.rels": archive.read("_rels/.rels").replace(
                b"word/document.xml", b"word/doc.dat"
            ),
            "word/_rels/doc.dat.rels": rels,
        },
    )
    assert refused(data) == errors.XML_FORBIDDEN


def test_xml_entities_are_refused_in_odt():
    data = build_odt(FicheSpec())
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    evil = content.replace(b"?>", b"?>" + doctype, 1)
    assert refused(rezip(data, replace={"content.xml": evil}), "f.odt") == errors.XML_FORBIDDEN


def test_python_docx_does_not_resolve_entities(valid_docx):
    """Vérification de la bibliothèque : même sans le contrôle préalable, python-docx
    (analyseur lxml `resolve_entities=False`) ne substitue pas les entités."""
    xml = BILLION_LAUGHS.replace(b"&lol3;", b"&lol;")
    blocks = read_docx(rezip(valid_docx, replace={"word/document.xml": xml}))
    assert "lol" not in " ".join(getattr(b, "text", "") for b in blocks)


def test_missing_main_part_is_unreadable(valid_docx):
    assert refused(rezip(valid_docx, remove=("word/document.xml",))) == errors.UNREADABLE


def test_malformed_document_xml(valid_docx):
    data = rezip(valid_docx, replace={"word/document.xml": b"<w:document><w:body>"})
    assert refused(data) == errors.UNREADABLE


def test_no_recognisable_fiche():
    import docx

    document = docx.Document()
    document.add_paragraph("Compte rendu de la réunion du 14 octobre 2025")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Présents"
    buffer = io.BytesIO()
    document.save(buffer)
    assert refused(buffer.getvalue()) == (
        "Aucune fiche action reconnue dans ce document : vérifiez qu'il suit le modèle "
        "officiel (« FICHE ACTION N° … »)."
    )


def test_blank_template_has_no_fiche():
    spec = FicheSpec(
        numero=None,
        objectif_line="OBJECTIF N° …",
        fiche_line="FICHE ACTION N° …",
        titre="Titre de la fiche",
        departement_line="Département concerné",
        referent_line="Référent (personne ou institution)",
        constat=[],
        objectif_operationnel=[],
        description=[],
        acteurs=[],
        moyens=[],
        calendrier=[],
        indicateurs_quantitatifs=[],
        indicateurs_qualitatifs=[],
        points_vigilance=[],
    )
    assert refused(build_docx(spec)) == errors.NO_FICHE


def test_unexpected_error_becomes_import_erreur(valid_docx, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bogue")

    monkeypatch.setattr(importer, "_parse_blocks", broken)
    assert refused(valid_docx) == (
        "Ce document n'a pas pu être lu : enregistrez-le de nouveau au format .docx ou .odt "
        "puis réessayez."
    )

"""Import : documents abîmés au hasard (hypothesis, déterministe). `parse_document` rend
un résultat ou lève `ImportErreur`, jamais autre chose ; le filet de dernier recours
(« Ce document n'a pas pu être lu… ») n'est jamais déclenché par notre propre code."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.documents.importer import ImportErreur, ImportResult, errors, parse_document

from .docx_builder import FicheSpec, Item, Layout, build_docx, build_odt

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SMALL_DOCX = build_docx(
    FicheSpec(
        constat=["Un constat."],
        description=[Item("a"), Item("b")],
        indicateurs_quantitatifs=["Nombre en 2024 : 51 pour 747 soit 6,8%"],
    )
)
_ARCHIVE = zipfile.ZipFile(io.BytesIO(SMALL_DOCX))
PARTS = {info.filename: _ARCHIVE.read(info) for info in _ARCHIVE.infolist()}
DOCUMENT_XML = PARTS["word/document.xml"]
SMALL_ODT = build_odt(FicheSpec())


def _outcome(data: bytes, filename: str = "fuzz.docx") -> ImportResult | ImportErreur:
    """Le résultat, ou l'erreur d'import ; toute autre exception fait échouer le test."""
    try:
        result = parse_document(data, filename=filename)
    except ImportErreur as exc:
        message = str(exc)
        assert message and "\n" not in message
        if message == errors.UNREADABLE and exc.__cause__ is not None:
            # Le filet ne doit rattraper que des documents que python-docx ou lxml refusent,
            # pas une erreur de notre analyseur.
            frames = []
            tb = exc.__cause__.__traceback__
            while tb is not None:
                frames.append(tb.tb_frame.f_code.co_filename)
                tb = tb.tb_next
            assert "importer" not in frames[-1], (exc.__cause__, frames[-1])
        return exc
    assert isinstance(result, ImportResult)
    assert result.fiches
    result.to_json()
    return result


operations = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
        st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
    ),
    min_size=1,
    max_size=6,
)


def _mutate(data: bytes, ops) -> bytes:
    buffer = bytearray(data)
    for kind, position, argument in ops:
        position %= max(1, len(buffer))
        if kind == "flip":
            buffer[position] ^= argument
        elif kind == "insert":
            buffer[position:position] = argument
        else:
            del buffer[position : position + argument]
    return bytes(buffer)


def _zip_with(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in PARTS.items():
            archive.writestr(name, document_xml if name == "word/document.xml" else content)
    return buffer.getvalue()


@FUZZ
@given(operations)
def test_mutated_zip_bytes(ops):
    _outcome(_mutate(SMALL_DOCX, ops))


@FUZZ
@given(operations)
def test_mutated_document_xml_in_a_valid_zip(ops):
    _outcome(_zip_with(_mutate(DOCUMENT_XML, ops)))


@settings(FUZZ, max_examples=60)
@given(operations)
def test_mutated_odt_bytes(ops):
    _outcome(_mutate(SMALL_ODT, ops), "fuzz.odt")


xml_snippets = st.sampled_from(
    [
        b"<w:p><w:r><w:t>FICHE ACTION N\xc2\xb03</w:t></w:r></w:p>",
        b"<w:p><w:r><w:t>OBJECTIFS N\xc2\xb0 1 et 2</w:t></w:r></w:p>",
        b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
        b"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>"
        b"</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>",
        b"<w:tr><w:tc><w:p><w:r><w:t>Constat</w:t></w:r></w:p></w:tc></w:tr>",
        b"<w:tc><w:tcPr><w:vMerge/><w:gridSpan w:val='9'/></w:tcPr></w:tc>",
        b"<w:p><w:pPr><w:numPr><w:numId w:val='x'/></w:numPr></w:pPr></w:p>",
        b"<w:p><w:pPr><w:pStyle w:val='ListBullet'/></w:pPr><w:r><w:br/><w:tab/></w:r></w:p>",
        b"<w:sdt><w:sdtContent><w:p><w:r><w:t>\xe2\x80\xa2 a \xe2\x80\xa2 b</w:t></w:r></w:p>"
        b"</w:sdtContent></w:sdt>",
        b"<w:t>",
        b"</w:tc>",
        b"&amp;",
        b"\xff\xfe",
    ]
)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), xml_snippets), min_size=1, max_size=4))
def test_document_xml_with_inserted_structures(insertions):
    xml = bytearray(DOCUMENT_XML)
    for position, snippet in insertions:
        position %= len(xml)
        xml[position:position] = snippet
    _outcome(_zip_with(bytes(xml)))


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(FUZZ, max_examples=40)
@given(
    titre=cell_text,
    label=cell_text,
    content=st.lists(st.one_of(cell_text, cell_text.map(Item)), max_size=4),
    layout=st.builds(
        Layout,
        header=st.sampled_from(["paragraphs", "table"]),
        bullets=st.sampled_from(["style", "char"]),
        indicators=st.sampled_from(["combined", "separate"]),
        merge_header_cells=st.booleans(),
        empty_rows=st.booleans(),
    ),
)
def test_arbitrary_cell_texts(titre, label, content, layout):
    """Textes arbitraires dans les cellules : la fiche n°1 reste reconnue."""
    try:
        data = build_docx(
            FicheSpec(titre=titre, constat=content, extra_rows=[(label, content)]), layout
        )
    except ValueError:  # caractère que python-docx refuse d'écrire (contrôle XML)
        return
    outcome = _outcome(data)
    assert isinstance(outcome, ImportResult)
    assert 1 in [fiche.numero for fiche in outcome.fiches]


@pytest.mark.parametrize("size", [0, 1, 4, 22, 100])
def test_truncated_prefixes(size):
    _outcome(SMALL_DOCX[:size])

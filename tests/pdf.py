"""Relire un PDF produit par WeasyPrint dans les tests, sans bibliothèque de lecture de PDF.

Les flux sont décompressés avec `decompressobj`, qui tolère un octet final retiré : un
flux compressé qui se termine par un retour chariot (\\r) perd cet octet dans le
découpage `stream … \\r?\\nendstream`, et `zlib.decompress` refuserait alors tout le flux
(échec aléatoire selon le contenu du document)."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_OBJECT_STREAM = re.compile(rb"(\d+) 0 obj\s*<<[^>]*>>\s*stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def _inflate(raw: bytes) -> bytes | None:
    try:
        return zlib.decompressobj().decompress(raw)
    except zlib.error:
        return None


def pdf_streams(data: bytes) -> list[bytes]:
    """Les flux du PDF, décompressés."""
    return [body for raw in _STREAM.findall(data) if (body := _inflate(raw)) is not None]


def pdf_objects(data: bytes) -> bytes:
    """Le PDF avec ses flux décompressés (le catalogue est dans un flux d'objets)."""
    return b"\n".join([data, *pdf_streams(data)])


def pdf_pages(data: bytes) -> list[str]:
    """Le texte affiché par chaque page, relu glyphe par glyphe à l'aide des tables
    ToUnicode des polices, espaces normalisés."""
    streams = pdf_streams(data)
    everything = b"\n".join([data, *streams])
    cmaps = {}
    for number, raw in _OBJECT_STREAM.findall(data):
        body = _inflate(raw)
        if body and b"begincmap" in body:
            table = {}
            for code, text in re.findall(rb"<([0-9a-f]{4})>\s*<([0-9a-f]+)>", body, re.I):
                table[code.lower()] = bytes.fromhex(text.decode()).decode("utf-16-be")
            cmaps[number] = table
    fonts = {
        tag: cmaps.get(number, {})
        for tag, number in re.findall(rb"/BaseFont /(\w+)\+[^>]*?/ToUnicode (\d+) 0 R", everything)
    }
    pages = []
    for stream in streams:
        if b" Tf" not in stream:  # pas un contenu de page
            continue
        out, table = [], {}
        for font, hexa, _end in re.findall(rb"/(\w+) [\d.]+ Tf|<([0-9a-fA-F]+)>|\b(ET)\b", stream):
            if font:
                table = fonts.get(font, {})
            elif hexa:
                hexa = hexa.lower()
                out.extend(table.get(hexa[i : i + 4], "?") for i in range(0, len(hexa), 4))
            else:
                out.append(" ")
        pages.append(" ".join("".join(out).split()))
    return pages


def pdf_text(data: bytes) -> str:
    """Tout le texte affiché par le PDF."""
    return " ".join(pdf_pages(data))

"""Import des fiches actions depuis un document Word (.docx), OpenDocument (.odt) ou un
PDF publié (à texte).

    result = parse_document(data, filename="fiches.docx", known_objectifs={1, 2, 3})

Étapes : `safety` contrôle le fichier (taille, format, macros, archive piégée, XML
à entités)  ; `reader_docx`, `reader_odt`
ou `reader_pdf` le lit en blocs neutres (un PDF est lu approximativement : l'aperçu
commence par le dire) ; `parser` reconnaît
les en-têtes et les rubriques ; `assemble` produit les fiches et les points à vérifier ;
`lengths` refuse une fiche dont un texte dépasse ce que la fiche garde.
Seule `ImportErreur` sort d'ici : son message d'une ligne est destiné à l'utilisateur.
"""

import logging

from . import errors
from .assemble import fiche_add, fiches_complete
from .errors import ImportErreur
from .parser import BlockParser
from .reader_docx import read_docx
from .reader_odt import read_odt
from .reader_pdf import read_pdf
from .reader_tableur import is_tableur, parse_tableur
from .result import ImportResult, ImportWarning, ParsedFiche
from .safety import MAX_UPLOAD_BYTES, check

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportErreur",
    "ImportResult",
    "ImportWarning",
    "ParsedFiche",
    "parse_document",
]

logger = logging.getLogger(__name__)


def parse_document(
    data: bytes,
    *,
    filename: str,
    known_objectifs: set[int] | None = None,
    max_seconds: int | None = None,
) -> ImportResult:
    """Lit les fiches actions d'un document ; lève `ImportErreur` (et rien d'autre).

    `known_objectifs` : numéros d'objectifs du référentiel ; un objectif absent est signalé.
    `max_seconds` : durée permise à la lecture d'un PDF (`reader_pdf.MAX_SECONDS` par défaut).
    """
    if is_tableur(filename):
        return parse_tableur(data, filename=filename, known_objectifs=known_objectifs)
    kind = check(data, filename=filename)
    try:
        if kind == "pdf":
            return _parse_pdf(data, known_objectifs=known_objectifs, max_seconds=max_seconds)
        blocks = read_docx(data) if kind == "docx" else read_odt(data)
        return _parse_blocks(blocks, known_objectifs=known_objectifs)
    except ImportErreur:
        raise
    except Exception as exc:  # dernier recours : un document inattendu ne fait pas d'erreur 500
        logger.warning("Import de « %s » impossible", filename, exc_info=True)
        raise ImportErreur(errors.UNREADABLE) from exc


def _parse_pdf(
    data: bytes, *, known_objectifs: set[int] | None, max_seconds: int | None
) -> ImportResult:
    """Un PDF : le point « lecture approximative » en tête des points à vérifier."""
    blocks, page_warnings = read_pdf(data, max_seconds=max_seconds)
    result = _parse_blocks(blocks, known_objectifs=known_objectifs)
    result.warnings[:0] = [ImportWarning(errors.PDF_APPROXIMATE)] + [
        ImportWarning(message) for message in page_warnings
    ]
    return result


def _parse_blocks(blocks, *, known_objectifs: set[int] | None) -> ImportResult:
    parser = BlockParser()
    drafts = parser.feed(blocks)
    result = ImportResult(warnings=[ImportWarning(m) for m in parser.warnings])
    for draft in drafts:
        fiche_add(result, draft, known_objectifs=known_objectifs)
    return fiches_complete(result)

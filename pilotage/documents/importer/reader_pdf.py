"""Lecture d'un PDF publié (à texte) en blocs neutres, avec pdfplumber.

Un PDF ne connaît ni paragraphes ni cellules : seulement des mots posés sur la page.
Les tableaux sont retrouvés par leurs traits (`page.find_tables`), chaque mot rangé dans
la cellule qui contient son centre ; le reste de la page est lu en lignes, du haut vers
le bas. Une ligne est coupée là où un grand blanc la sépare en deux (tampon posé dans la
marge, libellé et valeur d'un tableau sans traits). Les lignes d'une cellule ou d'une
zone de texte sont recousues en paragraphes : un nouveau paragraphe commence à une puce,
à un changement de taille de caractères, après un interligne plus grand que d'habitude,
ou quand le premier mot de la ligne aurait tenu au bout de la précédente (retour à la
ligne voulu) ; une ligne finie par un trait d'union se recolle sans espace
(« peut-\\nêtre »).

Les lignes courantes sont retirées : en haut ou en bas de page, une ligne identique sur
la moitié des pages au moins (bandeau, titre du document), ou qui l'est une fois ses
nombres masqués et porte le numéro de sa page (« Fiche action n°3 – page 4/27 »). Les
tampons de publication (« Publié sur … », « Reçu en préfecture le … », « ID : 023-… »)
et numéros de page sont des mentions que `labels.is_noise` écarte, comme pour Word.

Bornes : nombre de pages, caractères par page, durée totale ; un PDF à mot de passe est
refusé ; toute erreur de pdfminer devient une `ImportErreur`. Un PDF sans texte
(numérisé) est refusé avec un message qui dit quoi importer à la place.
"""

import io
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from . import errors
from .blocks import BULLET_CHARS, Block, Paragraph, Table, make_paragraphs
from .errors import ImportErreur
from .labels import fiche_header, is_noise, objectif_numbers

MAX_PAGES = 300
MAX_CHARS_PER_PAGE = 60_000
MAX_SECONDS = 45
MAX_DRAWINGS_PER_PAGE = 3_000
#: En dessous de ce nombre de caractères utiles par page (tampons écartés), le PDF
#: est tenu pour numérisé.
MIN_CHARS_PER_PAGE = 20
#: Blanc horizontal, en tailles de caractère, qui sépare deux morceaux d'une même ligne.
_SEGMENT_GAP = 2.5
#: Zone du haut et du bas de page (en part de la hauteur) où vivent les lignes courantes.
_RUNNING_BAND = 0.12
_DIGITS = re.compile(r"\d+")
_NUMBERED_ITEM = re.compile(r"^\(?\d{1,2}[.)]\s")


@dataclass
class _Line:
    """Un morceau de ligne : texte, position, taille des caractères."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word: float  # largeur du premier mot, pour savoir s'il aurait tenu plus haut


def read_pdf(data: bytes, *, max_seconds: int | None = None) -> tuple[list[Block], list[str]]:
    """Blocs du document dans l'ordre de lecture, et points à vérifier (pages sans texte).

    `max_seconds` : durée permise (par défaut `MAX_SECONDS`, celle d'une requête ; la
    lecture en tâche de fond en permet davantage)."""
    max_seconds = MAX_SECONDS if max_seconds is None else max_seconds
    deadline = time.monotonic() + max_seconds  # ouverture comprise
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _read(pdf, deadline, max_seconds)
    except ImportErreur:
        raise
    except PDFPasswordIncorrect as exc:
        raise ImportErreur(errors.PDF_PROTECTED) from exc
    except Exception as exc:  # pdfminer lève de tout sur un fichier fabriqué
        if isinstance(exc.__cause__, PDFPasswordIncorrect) or isinstance(
            getattr(exc, "args", [None])[0], PDFPasswordIncorrect
        ):
            raise ImportErreur(errors.PDF_PROTECTED) from exc
        raise ImportErreur(errors.PDF_CORRUPT) from exc


def _read(pdf, deadline: float, max_seconds: int) -> tuple[list[Block], list[str]]:
    pages = pdf.pages
    if len(pages) > MAX_PAGES:
        raise ImportErreur(errors.PDF_TOO_MANY_PAGES.format(pages=MAX_PAGES))
    warnings: list[str] = []
    read_pages = []
    useful_chars = 0
    for number, page in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            raise ImportErreur(errors.PDF_TOO_SLOW.format(secondes=max_seconds))
        if len(page.chars) > MAX_CHARS_PER_PAGE:
            raise ImportErreur(errors.PDF_PAGE_TOO_DENSE.format(page=number))
        items = _page_items(page)
        chars = _useful_chars(items)
        if not chars and page.images:
            warnings.append(errors.PDF_IMAGE_PAGE.format(page=number))
        read_pages.append((page, items))
        page.flush_cache()  # la mémoire reste bornée sur un long document
        useful_chars += chars
    if useful_chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise ImportErreur(errors.PDF_SCANNED)
    running = _running_lines(read_pages)
    blocks: list[Block] = []
    for page_index, (_page, items) in enumerate(read_pages):
        for _top, kind, content in items:
            if kind == "table":
                blocks.append(content)
            else:
                kept = [line for line in content if (page_index, id(line)) not in running]
                blocks.extend(_paragraphs(kept))
    return blocks, warnings


def _useful_chars(items) -> int:
    """Caractères lus sur la page, hors tampons et numéros de page."""
    texts = []
    for _top, kind, content in items:
        if kind == "lines":
            texts.extend(line.text for line in content)
        else:
            texts.extend(p.text for row in content.rows for cell in row for p in cell)
    return sum(len(text) for text in texts if not is_noise(text))


# -- une page : tableaux et lignes hors tableau, dans l'ordre ----------------------------


def _page_items(page) -> list[tuple[float, str, object]]:
    """[(haut, "table", Table) ou (haut, "lines", [_Line])] triés du haut vers le bas.
    Seul ce qui est dans la page compte (un texte posé hors page pour les lecteurs
    d'écran n'est pas affiché)."""
    page = page.within_bbox(page.bbox)
    words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
    words = [w for w in words if w["text"].strip()]
    # La recherche des tableaux croise les traits deux à deux : sur une page faite de
    # milliers de traits (graphique, fichier fabriqué), la page est lue comme du texte.
    drawn = len(page.rects) + len(page.lines) + len(page.curves)
    tables = [t for t in page.find_tables() if t.rows] if drawn <= MAX_DRAWINGS_PER_PAGE else []
    placed: dict[int, list[dict]] = defaultdict(list)
    outside = []
    for word in words:
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        index = next(
            (i for i, t in enumerate(tables) if _inside(cx, cy, t.bbox)),
            None,
        )
        if index is None:
            outside.append(word)
        else:
            placed[index].append(word)
    items: list[tuple[float, str, object]] = []
    for index, table in enumerate(tables):
        items.append((table.bbox[1], "table", _table(table, placed[index])))
    # Les lignes hors tableau, coupées en zones par les tableaux qui s'intercalent.
    lines = _lines(outside)
    tops = sorted(t.bbox[1] for t in tables)
    zones: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        zones[sum(1 for top in tops if top <= line.top)].append(line)
    right = max((line.x1 for line in lines), default=0.0)
    for zone_lines in zones.values():
        items.append((zone_lines[0].top, "lines", _chunks(zone_lines, right=right)))
    items.sort(key=lambda item: item[0])
    return items


def _inside(x: float, y: float, bbox) -> bool:
    x0, top, x1, bottom = bbox
    return x0 <= x <= x1 and top <= y <= bottom


def _table(table, words: list[dict]) -> Table:
    """Un tableau trouvé par ses traits : chaque mot dans la cellule qui contient son
    centre ; une cellule couverte par une fusion (None) reste vide, comme pour Word."""
    rows = []
    for row in table.rows:
        cells = []
        for bbox in row.cells:
            if bbox is None:
                cells.append([])
                continue
            mine = [
                w
                for w in words
                if _inside((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2, bbox)
            ]
            lines = _lines(mine)
            padding = min((line.x0 for line in lines), default=bbox[0]) - bbox[0]
            cells.append(_paragraphs(_chunks(lines, right=bbox[2] - padding)))
        rows.append(cells)
    return Table(rows)


# -- mots → lignes → paragraphes ---------------------------------------------------------


def _lines(words: list[dict]) -> list[_Line]:
    """Mots regroupés en lignes (même hauteur), chaque ligne coupée à un grand blanc."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= max(2.0, word["size"] * 0.3):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segment = [row[0]]
        for word in row[1:]:
            if word["x0"] - segment[-1]["x1"] > _SEGMENT_GAP * word["size"]:
                lines.append(_line(segment))
                segment = []
            segment.append(word)
        lines.append(_line(segment))
    return lines


def _line(words: list[dict]) -> _Line:
    return _Line(
        text=" ".join(w["text"] for w in words),
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=statistics.median(w["size"] for w in words),
        first_word=words[0]["x1"] - words[0]["x0"],
    )


def _chunks(lines: list[_Line], *, right: float = 0.0) -> list[_Line]:
    """Lignes d'une cellule ou d'une zone recousues en paragraphes (voir le module),
    chacun rendu comme une ligne de plus (texte recousu, boîte qui les englobe).

    Une ligne prolonge le paragraphe de la ligne la plus proche au-dessus d'elle qui la
    chevauche horizontalement : un tampon posé à côté du texte, ou la colonne des
    libellés d'un tableau sans traits, garde ses propres paragraphes."""
    if not lines:
        return []
    limit = right  # bord droit de la cellule ou de la page, s'il est connu
    above = [_above(lines, index) for index in range(len(lines))]
    gaps = [
        line.top - lines[i].bottom
        for line, i in zip(lines, above, strict=True)
        if i is not None and line.top - lines[i].bottom > 0
    ]
    usual_gap = min(gaps) if gaps else 0.0  # l'interligne ordinaire de la zone
    chains: list[list[int]] = []
    chain_of: dict[int, int] = {}
    for index, line in enumerate(lines):
        previous = above[index]
        column = max(other.x1 for other in lines if _overlap(other, line))
        right = max(column, limit)
        if previous is not None and not _starts_paragraph(lines[previous], line, right, usual_gap):
            chain = chain_of[previous]
            if chains[chain][-1] == previous:  # pas de fourche : un paragraphe, une suite
                chains[chain].append(index)
                chain_of[index] = chain
                continue
        chain_of[index] = len(chains)
        chains.append([index])
    merged = []
    for chain in chains:
        first, last = lines[chain[0]], lines[chain[-1]]
        text = first.text
        for index in chain[1:]:
            text = _join(text, lines[index].text)
        x0 = min(lines[i].x0 for i in chain)
        x1 = max(lines[i].x1 for i in chain)
        merged.append(_Line(text, x0, x1, first.top, last.bottom, first.size, first.first_word))
    return merged


def _paragraphs(chunks: list[_Line]) -> list[Paragraph]:
    return [p for chunk in chunks for p in make_paragraphs(chunk.text)]


def _overlap(a: _Line, b: _Line) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _above(lines: list[_Line], index: int) -> int | None:
    """La ligne la plus basse au-dessus de `lines[index]` qui la chevauche."""
    line = lines[index]
    for candidate in range(index - 1, -1, -1):
        other = lines[candidate]
        if other.top < line.top - 1 and _overlap(other, line):
            return candidate
    return None


def _starts_paragraph(previous: _Line, line: _Line, right: float, usual_gap: float) -> bool:
    text = line.text
    if text[0] in BULLET_CHARS or text[:2] in ("- ", "– ", "— ") or _NUMBERED_ITEM.match(text):
        return True
    if abs(line.size - previous.size) > 0.6:
        return True
    if line.top - previous.bottom > usual_gap + 0.25 * line.size:
        return True
    space = 0.3 * line.size
    return previous.x1 + space + line.first_word < right - space


def _join(text: str, following: str) -> str:
    """« sage- » + « femme » → « sage-femme » ; sinon une espace entre les deux lignes."""
    if text.endswith("-") and len(text) > 1 and not text[-2].isspace():
        return text + following
    return f"{text} {following}"


# -- lignes courantes ----------------------------------------------------------------------


def _running_lines(read_pages) -> set[tuple[int, int]]:
    """(page, id de paragraphe) des en-têtes et pieds de page répétés (voir le module) ;
    une ligne d'en-tête de fiche (« OBJECTIF N°1 ») n'en est jamais une par sa seule
    répétition : deux fiches d'une page peuvent commencer par la même."""
    pages = len(read_pages)
    if pages < 2:
        return set()
    exact: dict[str, list] = defaultdict(list)
    masked: dict[str, list] = defaultdict(list)
    for index, (page, items) in enumerate(read_pages):
        height = float(page.height) or 1.0
        for _top, kind, content in items:
            if kind != "lines":
                continue
            for line in content:
                if _RUNNING_BAND * height < line.top and line.bottom < (1 - _RUNNING_BAND) * height:
                    continue
                exact[line.text].append((index, line))
                masked[_DIGITS.sub("#", line.text)].append((index, line))
    needed = max(2, (pages + 1) // 2)
    found: set[tuple[int, int]] = set()
    for text, occurrences in exact.items():
        if objectif_numbers(text) is not None or fiche_header(text) is not None:
            continue
        if len({index for index, _ in occurrences}) >= needed:
            found.update((index, id(line)) for index, line in occurrences)
    for occurrences in masked.values():
        if len({index for index, _ in occurrences}) < needed:
            continue
        numbered = sum(
            1 for index, line in occurrences if str(index + 1) in _DIGITS.findall(line.text)
        )
        if numbered >= 0.8 * len(occurrences):
            found.update((index, id(line)) for index, line in occurrences)
    return found

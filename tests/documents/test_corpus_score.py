"""Import : score champ par champ sur le corpus de variantes réelles (issue 14, point 1).

Le corpus (`tests/documents/corpus/`) écrit les mêmes fiches (`donnees.FICHES`) dans
chaque mise en page de `generer.VARIANTES`, en .docx et en .odt ; chaque fichier passe
par `parse_document`, l'entrée de la vue d'import. Le test imprime un tableau
(variante × famille de champs) : `pytest tests/documents/test_corpus_score.py -s`.
"""

import pytest

from pilotage.documents.importer import ImportErreur, parse_document
from pilotage.documents.importer.blocks import Table
from pilotage.documents.importer.reader_docx import read_docx
from pilotage.documents.importer.reader_odt import read_odt

from .corpus.donnees import FICHES
from .corpus.generer import VARIANTES, generer, montant
from .corpus.score import FAMILLES, Score, score_document

# Issue 14 : la cible est 98 % par famille de champs, en .docx et en .odt.
# Les seuils ci-dessous empêchent un recul, et se relèvent à chaque amélioration.
# Mesure du 3 décembre 2026 (identique en .docx et en .odt) : 100 % au total, financements
# compris (listes « État : … », sous-tableaux par rangée ou par colonne : importer/moyens.py).
SEUIL_GLOBAL = 0.98
SEUIL_FAMILLE: dict[str, float] = {
    "fiches": 0.98,
    "numero": 0.98,
    "objectifs": 0.98,
    "titre": 0.98,
    "referent": 0.98,
    "acteurs": 0.98,
    "calendrier": 0.98,
    "indicateurs": 0.98,
    "points_vigilance": 0.98,
    "financeur": 0.98,
    "montant": 0.98,
    "valorisation": 0.98,
}
MAX_ERREURS_AFFICHEES = 6


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory):
    return generer(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def corpus_scores(corpus_files) -> dict[str, Score]:
    scores = {}
    for name, path in corpus_files.items():
        try:
            result = parse_document(path.read_bytes(), filename=name)
        except ImportErreur as exc:
            score = score_document(FICHES, [])
            score.erreurs.append(f"document refusé : {exc}")
        else:
            score = score_document(FICHES, result.fiches)
        scores[name] = score
    return scores


def _table(scores: dict[str, Score]) -> str:
    short = [f[:6] for f in FAMILLES]
    lines = [f"{'variante':<28}" + "".join(f"{s:>7}" for s in short) + "   total"]
    for name, score in scores.items():
        cells = "".join(f"{score.rate(f) * 100:>6.0f}%" for f in FAMILLES)
        lines.append(f"{name:<28}{cells}{score.rate() * 100:>7.1f}%")
    total = Score()
    for score in scores.values():
        total.merge(score)
    cells = "".join(f"{total.rate(f) * 100:>6.0f}%" for f in FAMILLES)
    lines.append(f"{'CORPUS':<28}{cells}{total.rate() * 100:>7.1f}%")
    return "\n".join(lines)


def _total(scores: dict[str, Score]) -> Score:
    total = Score()
    for score in scores.values():
        total.merge(score)
    return total


def test_corpus_has_every_variant_in_both_formats(corpus_files):
    assert len(VARIANTES) >= 12
    assert sorted(corpus_files) == sorted(
        f"{v.nom}{suffix}" for v in VARIANTES for suffix in (".docx", ".odt")
    )


def test_corpus_score(corpus_scores):
    print("\n" + _table(corpus_scores))
    for name, score in corpus_scores.items():
        shown = list(dict.fromkeys(score.erreurs))  # une ligne de financement : 3 erreurs
        for erreur in shown[:MAX_ERREURS_AFFICHEES]:
            print(f"  {name} — {erreur}")
        if len(shown) > MAX_ERREURS_AFFICHEES:
            print(f"  {name} — … et {len(shown) - MAX_ERREURS_AFFICHEES} autres")
    total = _total(corpus_scores)
    assert total.rate() >= SEUIL_GLOBAL
    for famille, seuil in SEUIL_FAMILLE.items():
        assert total.rate(famille) >= seuil, famille


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_corpus_score_per_format(corpus_scores, suffix):
    scores = {n: s for n, s in corpus_scores.items() if n.endswith(suffix)}
    print(f"\n{suffix}\n" + _table(scores))
    total = _total(scores)
    assert total.rate() >= SEUIL_GLOBAL
    for famille, seuil in SEUIL_FAMILLE.items():
        assert total.rate(famille) >= seuil, (suffix, famille)


def _document_text(path) -> str:
    blocks = read_docx(path.read_bytes()) if path.suffix == ".docx" else read_odt(path.read_bytes())
    texts = []
    for block in blocks:
        if isinstance(block, Table):
            texts += [p.text for row in block.rows for cell in row for p in cell]
        else:
            texts.append(block.text)
    return "\n".join(texts)


def test_corpus_documents_contain_every_expected_text(corpus_files):
    """Un champ manqué est une erreur de l'import, pas du corpus : chaque texte attendu
    est bien écrit dans chaque fichier."""
    for name, path in corpus_files.items():
        text = _document_text(path)
        for fiche in FICHES:
            expected = [fiche.titre, fiche.referent, *fiche.acteurs, *fiche.calendrier]
            expected += fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs
            expected += fiche.points_vigilance
            missing = [value for value in expected if value not in text]
            assert missing == [], (name, fiche.numero)


@pytest.mark.parametrize(
    ("notation", "value", "written"),
    [
        ("espaces", 12500, "12 500 €"),
        ("points", 12500, "12.500 euros"),
        ("sans", 12500, "12500"),
        ("insecables", 12500, "12\u202f500\u00a0€"),
        ("k", 12500, "12,5 k€"),
        ("m", 1200000, "1,2 M€"),
        ("m", 8000, "8 k€"),
    ],
)
def test_corpus_amount_notations(notation, value, written):
    assert montant(value, notation) == written

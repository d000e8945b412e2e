"""Générateur du corpus d'import (issue 14) : les fiches de `donnees.FICHES` écrites dans
chaque variante de mise en page de `VARIANTES`, en .docx et en .odt.

    .venv/bin/python -m tests.documents.corpus.generer /tmp/corpus   # pour les regarder

Les tests les génèrent à chaque session (`test_corpus_score.py`) : seuls ce script et les
données sont versionnés, pour rester relisibles.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from .donnees import FICHES, FINANCEURS, PUBLICATION, SYNONYMES, Fiche, Financement
from .ecrire import Break, Cell, Doc, P, T, write_docx, write_odt


@dataclass(frozen=True)
class Variante:
    nom: str
    description: str
    entete: str = "paragraphes"  # paragraphes | titres | rangees | fusionnees
    structure: str = "un_tableau"  # un_tableau | tableau_par_rubrique | coupee | titres | gras
    libelles: str = "officiel"  # clé de donnees.SYNONYMES
    colonne_grisee: bool = False
    indicateurs: str = "ensemble"  # ensemble | separes
    financement: str = "texte"  # texte | liste | sous_tableau_lignes | sous_tableau_colonnes
    financeurs: str = "court"  # clé de donnees.FINANCEURS
    notation: str = "espaces"  # espaces | points | sans | insecables | k | m
    listes: str = (
        "puces"  # puces | glyphe:<c> | numerotees | numeros_tapes | prose | points_virgules
    )
    mention_vide: str = "néant"
    page_de_garde: bool = False
    entetes_de_page: bool = False
    tampons: bool = False


VARIANTES = [
    Variante("modele", "Modèle officiel : en-tête en paragraphes, un tableau, puces Word."),
    Variante(
        "entete_titres",
        "En-tête en titres (Titre 1, Titre 2), libellés synonymes A, financements en liste, "
        "« 12.500 euros », puces « ▪ » tapées, mention « – ».",
        entete="titres",
        libelles="synonymes_a",
        financement="liste",
        notation="points",
        listes="glyphe:▪",
        mention_vide="–",
    ),
    Variante(
        "entete_rangees",
        "En-tête dans les premières rangées (libellé | valeur), sous-tableau de financement "
        "par ligne avec total, montants « 12500 », listes numérotées Word, « NC ».",
        entete="rangees",
        financement="sous_tableau_lignes",
        notation="sans",
        listes="numerotees",
        mention_vide="NC",
    ),
    Variante(
        "entete_fusionnee",
        "En-tête en cellules fusionnées, première colonne grisée, sous-tableau d'une colonne "
        "par financeur avec total, « 12,5 k€ », numéros tapés « 1) », « à définir ».",
        entete="fusionnees",
        colonne_grisee=True,
        financement="sous_tableau_colonnes",
        notation="k",
        listes="numeros_tapes",
        mention_vide="à définir",
    ),
    Variante(
        "tableau_par_rubrique",
        "Un tableau par rubrique, libellés synonymes B, « dont … de valorisation », espaces "
        "insécables, listes en prose (virgules et « et »), « à compléter ».",
        structure="tableau_par_rubrique",
        libelles="synonymes_b",
        notation="insecables",
        listes="prose",
        mention_vide="à compléter",
    ),
    Variante(
        "fiche_coupee",
        "Fiche coupée en deux tableaux par un saut de page (rangée de suite sans libellé), "
        "« 1,2 M€ », puces « ► », en-têtes et pieds de page.",
        structure="coupee",
        notation="m",
        listes="glyphe:►",
        entetes_de_page=True,
    ),
    Variante(
        "rubriques_en_titres",
        "Sans tableau : chaque rubrique sous un titre (Titre 3), en-tête en titres, "
        "financements en liste, tampons de publication.",
        entete="titres",
        structure="titres",
        financement="liste",
        tampons=True,
    ),
    Variante(
        "rubriques_en_gras",
        "Sans tableau : libellés synonymes A en gras « Libellé : », listes en prose avec "
        "points-virgules, financeurs en toutes lettres, « 12.500 euros ».",
        structure="gras",
        libelles="synonymes_a",
        financeurs="long",
        notation="points",
        listes="points_virgules",
    ),
    Variante(
        "synonymes_a",
        "Libellés synonymes A, en-tête en rangées, sous-tableau par ligne, financeurs en "
        "toutes lettres, indicateurs en deux rangées.",
        entete="rangees",
        libelles="synonymes_a",
        financement="sous_tableau_lignes",
        financeurs="long",
        indicateurs="separes",
    ),
    Variante(
        "synonymes_b",
        "Libellés synonymes B, « 12,5 k€ », numéros tapés, « NC », indicateurs séparés.",
        libelles="synonymes_b",
        notation="k",
        listes="numeros_tapes",
        mention_vide="NC",
        indicateurs="separes",
    ),
    Variante(
        "page_de_garde",
        "Page de garde et sommaire (« Fiche action n°1 … p. 2 »), en-têtes et pieds de page, "
        "tampons de publication après chaque fiche.",
        page_de_garde=True,
        entetes_de_page=True,
        tampons=True,
    ),
    Variante(
        "indicateurs_separes",
        "Indicateurs en deux rangées, puces « – », « ◦ » et « * » mêlées, colonne grisée, financeurs en "
        "toutes lettres, « – ».",
        indicateurs="separes",
        listes="glyphe:–◦*",
        colonne_grisee=True,
        financeurs="long",
        mention_vide="–",
    ),
    Variante(
        "financement_en_tableau_libre",
        "Sans tableau de fiche : rubriques en gras, le financement dans un tableau posé sous "
        "son libellé, une colonne par financeur avec total, « 12,5 k€ », financeurs en "
        "toutes lettres.",
        structure="gras",
        financement="sous_tableau_colonnes",
        financeurs="long",
        notation="k",
    ),
    Variante(
        "financement_en_tableau_sous_titre",
        "Rubriques sous des titres, le financement dans un tableau posé sous son titre, une "
        "rangée par financeur avec total, « 12500 ».",
        entete="titres",
        structure="titres",
        financement="sous_tableau_lignes",
        notation="sans",
    ),
    Variante(
        "melange",
        "En-tête fusionné, un tableau par rubrique, prose, « dont … de valorisation », "
        "page de garde, tampons, « 12500 ».",
        entete="fusionnees",
        structure="tableau_par_rubrique",
        listes="prose",
        notation="sans",
        page_de_garde=True,
        tampons=True,
    ),
]


# -- montants et financements ----------------------------------------------------------------


def _groups(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep)


def montant(value: int, notation: str) -> str:
    """12500 écrit selon la notation de la variante."""
    if notation == "points":
        return f"{_groups(value, '.')} euros"
    if notation == "sans":
        return str(value)
    if notation == "insecables":
        return _groups(value, "\u202f") + "\u00a0€"
    if notation in ("k", "m"):
        if notation == "m" and value >= 1_000_000:
            return f"{value / 1_000_000:g} M€".replace(".", ",")
        return f"{value / 1000:g} k€".replace(".", ",")
    return f"{_groups(value, ' ')} €"


def _valorisation(row: Financement, variante: Variante) -> str:
    if row.dont_valorisation:
        return f" dont {montant(row.dont_valorisation, variante.notation)} de valorisation"
    return " (valorisation)" if row.valorisation else ""


def _moyens(fiche: Fiche, variante: Variante) -> list:
    names = FINANCEURS[variante.financeurs]
    rows = fiche.financements
    text = [
        (names[r.financeur], montant(r.montant, variante.notation) + _valorisation(r, variante))
        for r in rows
    ]
    total = montant(sum(r.montant for r in rows), variante.notation)
    if variante.financement == "liste":
        return [P(f"{name} : {amount}", "bullet") for name, amount in text]
    if variante.financement == "sous_tableau_lignes":
        lines = [[_cell("Financeur"), _cell("Montant")]]
        lines += [[_cell(name), _cell(amount)] for name, amount in text]
        return [T([*lines, [_cell("Total"), _cell(total)]])]
    if variante.financement == "sous_tableau_colonnes":
        head = [_cell(name) for name, _ in text] + [_cell("Total")]
        values = [_cell(amount) for _, amount in text] + [_cell(total)]
        return [T([head, values])]
    return [P(f"Financement {name} : {amount}") for name, amount in text]


def _cell(text: str, **kwargs) -> Cell:
    return Cell([P(text)], **kwargs)


# -- listes -------------------------------------------------------------------------------


def liste(items: list[str], variante: Variante) -> list[P]:
    """Éléments d'une liste écrits selon la variante ; liste vide : la mention « néant »."""
    if not items:
        return [P(variante.mention_vide)]
    mode = variante.listes
    if mode == "prose":
        head = ", ".join(items[:-1])
        return [P(f"{head} et {items[-1]}." if head else f"{items[-1]}.")]
    if mode == "points_virgules":
        return [P(" ; ".join(items) + ".")]
    if mode == "numerotees":
        return [P(item, "number") for item in items]
    if mode == "numeros_tapes":
        return [P(f"{i}) {item}") for i, item in enumerate(items, 1)]
    if mode.startswith("glyphe:"):
        glyphs = mode.split(":", 1)[1]  # plusieurs glyphes : l'un après l'autre
        return [P(f"{glyphs[i % len(glyphs)]} {item}") for i, item in enumerate(items)]
    return [P(item, "bullet") for item in items]


# -- en-tête ------------------------------------------------------------------------------


def _objectifs(fiche: Fiche) -> str:
    if len(fiche.objectifs) == 1:
        return f"OBJECTIF N°{fiche.objectifs[0]}"
    return "OBJECTIFS N°" + " et N°".join(str(n) for n in fiche.objectifs)


def _entete(fiche: Fiche, variante: Variante) -> tuple[list, list[list[Cell]]]:
    """(paragraphes avant le tableau, rangées d'en-tête dans le tableau)."""
    if variante.entete == "titres":
        return [
            P(f"FICHE ACTION N°{fiche.numero} : {fiche.titre}", "h1"),
            P(_objectifs(fiche), "h2"),
            P(f"Département concerné : {fiche.departement}"),
            P(f"Référent : {fiche.referent}"),
        ], []
    if variante.entete == "rangees":
        pairs = [
            ("Fiche action n°", str(fiche.numero)),
            ("Objectif(s)", ", ".join(str(n) for n in fiche.objectifs)),
            ("Intitulé de l'action", fiche.titre),
            ("Département concerné", fiche.departement),
            ("Référent (personne ou institution)", fiche.referent),
        ]
        return [], [[_cell(a, shaded=variante.colonne_grisee), _cell(b)] for a, b in pairs]
    if variante.entete == "fusionnees":
        lines = [
            f"{_objectifs(fiche)} – FICHE ACTION N°{fiche.numero}",
            fiche.titre,
            f"Département concerné : {fiche.departement}",
            f"Référent (personne ou institution) : {fiche.referent}",
        ]
        return [], [[Cell([P(line, bold=True)], span=2)] for line in lines]
    return [
        P(_objectifs(fiche)),
        P(f"FICHE ACTION N°{fiche.numero}"),
        P(fiche.titre),
        P(f"Département concerné : {fiche.departement}"),
        P(f"Référent (personne ou institution) : {fiche.referent}"),
    ], []


# -- rubriques ----------------------------------------------------------------------------


def _rubriques(fiche: Fiche, variante: Variante) -> list[tuple[str, list]]:
    sections = [
        ("constat", [P(fiche.constat)]),
        ("objectif_operationnel", [P(fiche.objectif_operationnel)]),
        ("description", liste(fiche.description, variante)),
        ("acteurs", liste(fiche.acteurs, variante)),
        ("moyens", _moyens(fiche, variante)),
        ("calendrier", liste(fiche.calendrier, variante)),
    ]
    if variante.indicateurs == "separes":
        sections.append(
            ("indicateurs_quantitatifs", liste(fiche.indicateurs_quantitatifs, variante))
        )
        sections.append(("indicateurs_qualitatifs", liste(fiche.indicateurs_qualitatifs, variante)))
    else:
        both = fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs
        sections.append(("indicateurs", liste(both, variante)))
    sections.append(("points_vigilance", liste(fiche.points_vigilance, variante)))
    labels = SYNONYMES[variante.libelles]
    return [(labels[key][0], content) for key, content in sections]


def _label_cell(label: str, variante: Variante) -> Cell:
    return Cell([P(label, bold=True)], shaded=variante.colonne_grisee)


def fiche_blocks(fiche: Fiche, variante: Variante) -> list:
    before, header_rows = _entete(fiche, variante)
    sections = _rubriques(fiche, variante)
    blocks = list(before)
    if variante.structure in ("titres", "gras"):
        for label, content in sections:
            blocks.append(
                P(label, "h3") if variante.structure == "titres" else P(f"{label} :", bold=True)
            )
            blocks.extend(content)
        return blocks
    rows = [[_label_cell(label, variante), Cell(content)] for label, content in sections]
    if variante.structure == "tableau_par_rubrique":
        if header_rows:
            blocks.append(T(header_rows))
        blocks.extend(T([row]) for row in rows)
    elif variante.structure == "coupee":
        # la description passe pour partie sur la page suivante, dans une rangée sans libellé
        desc = rows[2][1].content
        rows[2][1] = Cell(desc[:1])
        blocks.append(T(header_rows + rows[:3]))
        blocks.append(Break())
        blocks.append(T([[Cell([]), Cell(desc[1:])], *rows[3:]]))
    else:
        blocks.append(T(header_rows + rows))
    return blocks


def document(variante: Variante, fiches: list[Fiche] = FICHES) -> Doc:
    body: list = []
    if variante.page_de_garde:
        body += [
            P("Contrat départemental de prévention et de protection de l'enfance (fictif)", "h1"),
            P("Fiches actions 2025-2027"),
            P("Sommaire", "h2"),
        ]
        body += [
            P(f"Fiche action n°{f.numero} : {f.titre} ....... p. {i + 2}")
            for i, f in enumerate(fiches)
        ]
        body.append(Break())
    for index, fiche in enumerate(fiches):
        if index:
            body.append(Break())
        body += fiche_blocks(fiche, variante)
        if variante.tampons:
            body += [P(text) for text in PUBLICATION]
    doc = Doc(body=body)
    if variante.entetes_de_page:
        doc.header = ["Contrat de Fictivie 2025-2027 (fictif) – Fiches actions"]
        doc.footer = ["Page 1 sur 8", *PUBLICATION[:1]]
    return doc


def generer(directory: Path) -> dict[str, Path]:
    """Écrit chaque variante en .docx et .odt ; {nom de fichier: chemin}."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for variante in VARIANTES:
        doc = document(variante)
        for suffix, writer in ((".docx", write_docx), (".odt", write_odt)):
            path = directory / f"{variante.nom}{suffix}"
            path.write_bytes(writer(doc))
            written[path.name] = path
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for name in generer(target):
        print(target / name)

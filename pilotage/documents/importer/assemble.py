"""Du brouillon de fiche (`parser.Draft`) à la fiche analysée (`ParsedFiche`), avec les
points à vérifier : rubriques obligatoires absentes, objectifs inconnus du référentiel,
taux incohérents, moyens financiers non reconnus, numéros en double."""

from collections import Counter

from pilotage.contrats.retraits import lire_mention

from . import errors
from . import fields as f
from .errors import ImportErreur
from .indicators import normalize_national, propose_values, rate_mismatch, split_indicateurs
from .lengths import lengths_check
from .moyens import read_moyens
from .parser import Draft
from .regroupement import group_lines
from .result import ImportResult, ImportWarning, ParsedFiche


def _sans_mentions(texts: list[str], relation: str, retraits: dict, clean=str) -> list[str]:
    """Les lignes sans leur « (retiré le JJ/MM/AAAA) » (écrit par l'export pour une ligne
    retirée), la date de retrait gardée dans `retraits` sous « relation:texte »."""
    result = []
    for text in texts:
        text, date = lire_mention(text)
        text = clean(text)
        if date is not None:
            retraits[f"{relation}:{text}"] = date
        result.append(text)
    return result


def build_fiche(draft: Draft) -> ParsedFiche:
    """Valeurs de la fiche lues dans le brouillon (sans les avertissements)."""
    raw = draft.fields
    retraits: dict = {}
    fiche = ParsedFiche(
        numero=draft.numero,
        objectifs=list(draft.objectifs),
        entete_objectifs=draft.entete_objectifs,
        titre=draft.titre,
        departement=draft.departement,
        referent=draft.referent,
        constat=f.structured_text(raw.get("constat", [])),
        objectif_operationnel=f.structured_text(raw.get("objectif_operationnel", [])),
        description=f.structured_text(raw.get("description", [])),
        acteurs=_sans_mentions(f.split_acteurs(raw.get("acteurs", [])), "acteurs", retraits),
        calendrier_texte=f.structured_text(raw.get("calendrier", [])),
        calendrier=_sans_mentions(
            f.calendrier_items(raw.get("calendrier", [])), "jalons", retraits
        ),
        points_vigilance=f.items(raw.get("points_vigilance", [])),
        retraits=retraits,
    )
    moyens = read_moyens(raw.get("moyens", []))
    fiche.moyens_texte = f.structured_text(moyens.paragraphs)
    fiche.financements = moyens.financements

    def indicateurs(key: str) -> list[str]:
        return _sans_mentions(
            f.items(raw.get(key, [])), "indicateurs", retraits, normalize_national
        )

    quanti = indicateurs("indicateurs_quantitatifs")
    quali = indicateurs("indicateurs_qualitatifs")
    combined = indicateurs("indicateurs")
    extra_quanti, extra_quali = split_indicateurs(combined)
    # « X : 2023 : 424 » et « X en 2024 : 598 » : un indicateur, deux valeurs datées.
    fiche.quantitatifs_lus = quanti + extra_quanti
    fiche.indicateurs_quantitatifs, fiche.regroupements = group_lines(fiche.quantitatifs_lus)
    fiche.indicateurs_qualitatifs = quali + extra_quali
    grouped = {g.libelle for g in fiche.regroupements}
    for text in fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs:
        if text not in grouped:
            fiche.valeurs_proposees.extend(propose_values(text))
    return fiche


def fiche_warnings(
    draft: Draft, fiche: ParsedFiche, *, known_objectifs: set[int] | None
) -> list[ImportWarning]:
    """Points à vérifier pour une fiche, dans l'ordre de lecture."""
    numero = fiche.numero
    messages: list[str] = []
    if numero is None:
        shown = f"« {fiche.titre} »" if fiche.titre else "sans titre"
        messages.append(
            f"Fiche {shown} sans numéro (« FICHE ACTION N° … » introuvable) : "
            "elle ne pourra pas être enregistrée."
        )
    if not fiche.titre:
        messages.append("Titre de la fiche absent.")
    if not fiche.objectifs:
        messages.append("Numéro d'objectif absent (« OBJECTIF N° … »).")
    elif known_objectifs is not None:
        unknown = [n for n in fiche.objectifs if n not in known_objectifs]
        if unknown:
            listed = ", ".join(f"n°{n}" for n in unknown)
            messages.append(f"Objectif {listed} absent du référentiel.")
    messages.extend(draft.warnings)
    messages.extend(read_moyens(draft.fields.get("moyens", [])).warnings)
    grouped = [v for g in fiche.regroupements for v in g.valeurs]
    for value in fiche.valeurs_proposees + grouped:
        mismatch = rate_mismatch(value)
        if mismatch:
            messages.append(mismatch)
    return [ImportWarning(message, numero) for message in messages]


def duplicate_warnings(fiches: list[ParsedFiche]) -> list[ImportWarning]:
    """Un avertissement par numéro de fiche présent plusieurs fois dans le document."""
    counts = Counter(fiche.numero for fiche in fiches if fiche.numero is not None)
    return [
        ImportWarning(
            f"Le numéro de fiche {numero} apparaît {count} fois dans ce document : "
            "une seule fiche portera ce numéro.",
            numero,
        )
        for numero, count in sorted(counts.items())
        if count > 1
    ]


def fiche_add(result: ImportResult, draft: Draft, *, known_objectifs: set[int] | None) -> None:
    """La fiche du brouillon, refusée si un texte dépasse ce que la fiche garde, ajoutée
    au résultat avec ses points à vérifier."""
    fiche = build_fiche(draft)
    lengths_check(fiche)
    result.fiches.append(fiche)
    result.warnings.extend(fiche_warnings(draft, fiche, known_objectifs=known_objectifs))


def fiches_complete(result: ImportResult) -> ImportResult:
    """Le résultat de la lecture : refusé s'il n'a aucune fiche ; les numéros en double
    signalés en dernier."""
    if not result.fiches:
        raise ImportErreur(errors.NO_FICHE)
    result.warnings.extend(duplicate_warnings(result.fiches))
    return result

"""Score champ par champ d'un import du corpus, comparé à `donnees.FICHES`.

Familles : fiches (chaque fiche attendue retrouvée par son numéro ; une fiche en trop
compte comme une erreur), numero, objectifs, titre, referent, puis les éléments de chaque
liste (acteurs, calendrier, indicateurs, points_vigilance) et, pour chaque ligne de
financement, financeur, montant et valorisation.

Une liste rapporte autant de points que max(attendus, lus) : un élément lu en trop (une
mention « néant » prise pour un élément) coûte un point ; une liste vide attendue et lue
vide rapporte 1 point. Les indicateurs sont comparés en un seul ensemble (quantitatifs +
qualitatifs), comme dans l'aller-retour de la Creuse. Les lignes de financement sont
comparées dans l'ordre ; une ligne manquante ou en trop coûte ses trois points.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .donnees import Fiche

FAMILLES = [
    "fiches",
    "numero",
    "objectifs",
    "titre",
    "referent",
    "acteurs",
    "calendrier",
    "indicateurs",
    "points_vigilance",
    "financeur",
    "montant",
    "valorisation",
]


@dataclass
class Score:
    points: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    erreurs: list[str] = field(default_factory=list)

    def add(self, famille: str, ok: int, total: int = 1, detail: str = "") -> None:
        self.points[famille] += ok
        self.total[famille] += total
        if ok < total and detail:
            self.erreurs.append(f"{famille} : {detail}")

    def merge(self, other: "Score") -> None:
        self.points.update(other.points)
        self.total.update(other.total)

    def rate(self, famille: str | None = None) -> float:
        if famille is None:
            total = sum(self.total.values())
            return sum(self.points.values()) / total if total else 1.0
        total = self.total[famille]
        return self.points[famille] / total if total else 1.0


def _norm(text: str) -> str:
    return " ".join((text or "").split()).rstrip(" .;")


def _list(score: Score, famille: str, wanted: list[str], got: list[str], numero: int) -> None:
    wanted_c, got_c = Counter(map(_norm, wanted)), Counter(map(_norm, got))
    if not wanted and not got:
        score.add(famille, 1)
        return
    total = max(len(wanted), len(got))
    ok = sum((wanted_c & got_c).values())
    score.add(famille, ok, total, f"fiche {numero} attendu {wanted!r}, lu {got!r}")


def _financements(score: Score, fiche: Fiche, got: list[dict]) -> None:
    count = max(len(fiche.financements), len(got))
    for index in range(count):
        want = fiche.financements[index] if index < len(fiche.financements) else None
        have = got[index] if index < len(got) else None
        shown = (have["financeur"], have.get("montant"), have.get("valorisation")) if have else None
        wanted = (want.financeur, want.montant, want.valorisation) if want else None
        where = f"fiche {fiche.numero} ligne {index + 1} attendu {wanted}, lu {shown}"
        if want is None or have is None:
            for famille in ("financeur", "montant", "valorisation"):
                score.add(famille, 0, 1)
            score.erreurs.append(f"financement : {where}")
            continue
        montant = have.get("montant")
        same_amount = montant is not None and Decimal(str(montant)) == want.montant
        results = {
            "financeur": have["financeur"] == want.financeur,
            "montant": same_amount,
            "valorisation": bool(have.get("valorisation")) == want.valorisation,
        }
        for famille, ok in results.items():
            score.add(famille, int(ok), 1)
        if not all(results.values()):
            wrong = ", ".join(k for k, ok in results.items() if not ok)
            score.erreurs.append(f"financement ({wrong}) : {where}")


def score_fiche(fiche: Fiche, parsed) -> Score:
    score = Score()
    if parsed is None:
        score.add("fiches", 0, 1, f"fiche {fiche.numero} introuvable")
        for famille in ("numero", "objectifs", "titre", "referent"):
            score.add(famille, 0, 1)
        for famille, items in (
            ("acteurs", fiche.acteurs),
            ("calendrier", fiche.calendrier),
            ("indicateurs", fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs),
            ("points_vigilance", fiche.points_vigilance),
        ):
            score.add(famille, 0, max(1, len(items)))
        _financements(score, fiche, [])
        return score
    n = fiche.numero
    score.add("fiches", 1)
    score.add("numero", parsed.numero == n, 1, f"fiche {n} lu {parsed.numero!r}")
    score.add(
        "objectifs", parsed.objectifs == fiche.objectifs, 1, f"fiche {n} lu {parsed.objectifs}"
    )
    score.add(
        "titre", _norm(parsed.titre) == _norm(fiche.titre), 1, f"fiche {n} lu {parsed.titre!r}"
    )
    score.add(
        "referent",
        _norm(parsed.referent) == _norm(fiche.referent),
        1,
        f"fiche {n} lu {parsed.referent!r}",
    )
    _list(score, "acteurs", fiche.acteurs, parsed.acteurs, n)
    _list(score, "calendrier", fiche.calendrier, parsed.calendrier, n)
    _list(
        score,
        "indicateurs",
        fiche.indicateurs_quantitatifs + fiche.indicateurs_qualitatifs,
        parsed.indicateurs_quantitatifs + parsed.indicateurs_qualitatifs,
        n,
    )
    _list(score, "points_vigilance", fiche.points_vigilance, parsed.points_vigilance, n)
    _financements(score, fiche, parsed.financements)
    return score


def _pair(fiches: list[Fiche], parsed_fiches: list) -> tuple[dict[int, object], list]:
    """Fiche attendue → fiche lue : par numéro, à défaut par titre, à défaut par rang parmi
    les fiches restantes (un numéro mal lu ne fait pas perdre tout le reste de la fiche)."""
    remaining = list(parsed_fiches)
    pairs: dict[int, object] = {}
    keys = (lambda p, f: p.numero == f.numero, lambda p, f: _norm(p.titre) == _norm(f.titre))
    for same in keys:
        for fiche in fiches:
            if fiche.numero in pairs:
                continue
            match = next((p for p in remaining if same(p, fiche)), None)
            if match is not None:
                pairs[fiche.numero] = match
                remaining.remove(match)
    for fiche in fiches:
        if fiche.numero not in pairs and remaining:
            pairs[fiche.numero] = remaining.pop(0)
    return pairs, remaining


def score_document(fiches: list[Fiche], parsed_fiches: list) -> Score:
    """Score d'un document ; une fiche lue que l'attendu ne connaît pas est une erreur."""
    score = Score()
    pairs, extras = _pair(fiches, parsed_fiches)
    for fiche in fiches:
        sub = score_fiche(fiche, pairs.get(fiche.numero))
        score.merge(sub)
        score.erreurs.extend(sub.erreurs)
    for extra in extras:
        score.add("fiches", 0, 1, f"fiche en trop : n°{extra.numero} « {extra.titre} »")
    return score

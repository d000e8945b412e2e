"""Tours de mesure du banc de charge (bench/charge.py, issue 15) : ordre des charges d'un
tour, rapport de chaque page au plancher mesuré autour d'elle, médiane et écart des tours.

La machine dérive pendant les minutes d'un banc (autres processus, fréquence du
processeur) : un plancher mesuré une seule fois au début ne vaut plus pour la dernière page
(entre deux passages à 25 minutes d'intervalle, la vue nationale est passée de ×5,6 à ×8,6
sans changement de code). Chaque tour mesure donc le plancher avant et après chaque groupe
de pages, et une page est rapportée à la moyenne des deux planchers qui l'encadrent, à
quelques secondes d'elle. Plusieurs tours courts plutôt qu'un long, dans le même temps
total : la médiane écarte un tour dérangé, l'écart (min–max) montre le bruit qui reste.
"""

from dataclasses import dataclass
from statistics import median

#: Pages mesurées entre deux planchers : 1 encadre chaque page, mais double presque le
#: nombre de charges (et leur temps de démarrage) ; 2 garde chaque page à côté d'un plancher.
PAGES_PAR_PLANCHER = 2


def programme(pages: list[str], plancher: str, groupe: int = PAGES_PAR_PLANCHER) -> list[str]:
    """L'ordre des charges d'un tour : le plancher, puis chaque groupe de `groupe` pages
    suivi du plancher (toute page a un plancher juste avant et juste après son groupe)."""
    ordre = [plancher]
    for debut in range(0, len(pages), groupe):
        ordre += [*pages[debut : debut + groupe], plancher]
    return ordre


def rapports_du_tour(tour: list[tuple[str, float]], plancher: str) -> dict[str, float]:
    """Pour un tour (les charges dans l'ordre : nom, débit), le rapport de chaque page :
    moyenne des débits des planchers qui l'encadrent ÷ débit de la page. Un seul plancher
    s'il n'y en a que d'un côté ; infini si la page n'a rien servi."""
    indices = [i for i, (nom, _debit) in enumerate(tour) if nom == plancher]
    if not indices:
        raise ValueError(f"aucune mesure du plancher « {plancher} » dans le tour")
    rapports = {}
    for i, (nom, debit) in enumerate(tour):
        if nom == plancher:
            continue
        avant = [tour[j][1] for j in indices if j < i][-1:]
        apres = [tour[j][1] for j in indices if j > i][:1]
        reference = sum(avant + apres) / len(avant + apres)
        rapports[nom] = reference / debit if debit else float("inf")
    return rapports


@dataclass(frozen=True)
class Synthese:
    """Une page sur l'ensemble des tours : médianes des charges, rapport médian et écart."""

    p50: float
    p95: float
    p99: float
    debit: float
    rapport: float
    rapport_min: float
    rapport_max: float
    erreurs: int
    requetes: int
    charges: int


def _nombre(valeur) -> float:
    """Une valeur du CSV de locust ("12", "12.5", "N/A" quand rien n'a été servi)."""
    try:
        return float(valeur)
    except (TypeError, ValueError):
        return float("nan")


def synthese(tours: list[list[tuple[str, dict]]], plancher: str) -> dict[str, Synthese]:
    """Chaque page (plancher compris, rapport 1) résumée sur les tours : `tours` est la
    liste des tours, chacun la liste ordonnée (nom, ligne « Aggregated » du CSV de locust)."""
    rapports: dict[str, list[float]] = {}
    for tour in tours:
        debits = [(nom, _nombre(ligne["Requests/s"])) for nom, ligne in tour]
        for nom, rapport in rapports_du_tour(debits, plancher).items():
            rapports.setdefault(nom, []).append(rapport)
    lignes: dict[str, list[dict]] = {}
    for nom, ligne in (charge for tour in tours for charge in tour):
        lignes.setdefault(nom, []).append(ligne)
    resultat = {}
    for nom, mesures in lignes.items():
        valeurs = rapports.get(nom, [1.0])
        resultat[nom] = Synthese(
            **{
                cle: median(_nombre(m[colonne]) for m in mesures)
                for cle, colonne in (("p50", "50%"), ("p95", "95%"), ("p99", "99%"))
            },
            debit=median(_nombre(m["Requests/s"]) for m in mesures),
            rapport=median(valeurs),
            rapport_min=min(valeurs),
            rapport_max=max(valeurs),
            erreurs=sum(int(m["Failure Count"]) for m in mesures),
            requetes=sum(int(m["Request Count"]) for m in mesures),
            charges=len(mesures),
        )
    return resultat

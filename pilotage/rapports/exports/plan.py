"""Le plan du rapport d'exécution, commun aux exports Word, OpenDocument et PDF : les
intitulés, les lignes et les rubriques de chaque section, dans l'ordre du rapport publié
(`seeds/004_…`). Chaque export ne fait que mettre ce plan en page."""

from dataclasses import dataclass, field

from pilotage.core.formats import euros, parse_structured_text, truncate_for_export

from ..content import FicheContent, ObjectifSection, Raison, RapportContent
from .nombres import nombre, pourcentage

RECAPITULATIF = "Récapitulatif synthétique"
INCOHERENCES = "Incohérences à vérifier"
AUCUNE_INCOHERENCE = "Aucune incohérence relevée dans les chiffres."
ANNEXE = "Annexe financière"
ANNEXE_COLONNES = ("Fiche", "Financeur", "Prévu", "Transferts", "Total", "Exécuté", "Valorisation")
TOTAUX_COLONNES = ("Financeur", "Prévu", "Transferts", "Total", "Exécuté", "Valorisation")
#: Tête d'un bilan ou de perspectives encore proposés à partir des données, non relus.
A_RELIRE = (
    "[Proposition à relire] Texte proposé à partir des données, qu'aucun pilote n'a encore "
    "relu : relisez-le et enregistrez-le avant d'envoyer le rapport."
)
AUCUN_FINANCEMENT = "Aucun financement inscrit pour l'année."
INDICATEUR_COLONNES = ("Indicateur", "Valeur {annee}", "Valeur {precedente}", "Évolution", "Source")


@dataclass(frozen=True)
class Bloc:
    """Un paragraphe (`puce=False`) ou un élément de liste (`puce=True`)."""

    texte: str
    puce: bool = False


@dataclass
class Tableau:
    entetes: list[str]
    lignes: list[list[str]]
    legende: str = ""


@dataclass
class Rubrique:
    """Une rubrique d'une fiche : son intitulé puis ses blocs, ou un tableau."""

    intitule: str
    blocs: list[Bloc] = field(default_factory=list)
    tableau: Tableau | None = None

    @property
    def groupes(self) -> list[tuple[str, list[str]]]:
        """Les blocs regroupés : ("p", [paragraphe]) ou ("ul", [éléments consécutifs])."""
        groups: list[tuple[str, list[str]]] = []
        for bloc in self.blocs:
            kind = "ul" if bloc.puce else "p"
            if kind == "ul" and groups and groups[-1][0] == "ul":
                groups[-1][1].append(bloc.texte)
            else:
                groups.append((kind, [bloc.texte]))
        return groups


def titre(content: RapportContent) -> str:
    return f"Rapport d'exécution {content.entete.annee} – {content.entete.departement}"


def _oui_non(value: bool | None) -> str:
    return "non renseigné" if value is None else "oui" if value else "non"


def entete(content: RapportContent) -> list[tuple[str, str]]:
    e = content.entete
    return [
        ("Département", f"{e.departement} ({e.departement_code})"),
        ("Région", e.region),
        ("Contrat", e.generation),
        ("Année du rapport", str(e.annee)),
        ("Première contractualisation", str(e.annee_premiere_contractualisation or "—")),
        ("Collaboration avec la DPJJ", _oui_non(e.collaboration_dpjj)),
        ("Collaboration avec l'Éducation nationale", _oui_non(e.collaboration_dgesco)),
        ("Date", e.date.strftime("%d/%m/%Y")),
    ]


def recapitulatif(content: RapportContent) -> list[str]:
    """« Actions mises en œuvre : 18 / 19 (fiches 1, 2…) », puis retard, puis abandon."""
    r = content.recapitulatif
    lines = []
    for label, count, fiches in (
        ("Actions mises en œuvre", r.mises_en_oeuvre, r.fiches_mises_en_oeuvre),
        ("Actions dont la mise en œuvre a pris du retard", r.en_retard, r.fiches_en_retard),
        ("Actions abandonnées", r.abandonnees, r.fiches_abandonnees),
    ):
        numbers = f" (fiches {', '.join(fiches)})" if fiches else ""
        lines.append(f"{label} : {count} / {r.prevues}{numbers}")
    return lines


def raison_intitule(raison: Raison) -> str:
    return f"Fiche {raison.fiche} ({raison.nature}) : "


def raison_texte(raison: Raison) -> str:
    return truncate_for_export(raison.texte)


def objectif_titre(objectif: ObjectifSection) -> str:
    return f"{objectif.statut} – {objectif.libelle}"


def objectif_lignes(objectif: ObjectifSection) -> list[str]:
    lines = []
    if objectif.mesure:
        lines.append(f"Mesure : {objectif.mesure}")
    if objectif.objectif:
        lines.append(f"Objectif : {objectif.objectif}")
    return lines


def fiche_titre(fiche: FicheContent) -> str:
    return f"Fiche {fiche.numero} – {fiche.titre}"


def fiche_etat(fiche: FicheContent) -> str:
    return "État : " + fiche.etat_libelle + (" (en retard)" if fiche.en_retard else "")


def _texte(intitule: str, text: str, *, vide: str = "Non renseigné.") -> Rubrique:
    """Paragraphes et listes (« - ») comme à la saisie."""
    blocks = parse_structured_text(truncate_for_export(text)) or [("p", [vide])]
    return Rubrique(
        intitule, [Bloc(item, puce=kind == "ul") for kind, items in blocks for item in items]
    )


def _liste(intitule: str, items: list[str]) -> Rubrique:
    if not items:
        return Rubrique(intitule, [Bloc("Non renseigné.")])
    return Rubrique(intitule, [Bloc(truncate_for_export(item), puce=True) for item in items])


def indicateurs(fiche: FicheContent, annee: int) -> Rubrique:
    if not fiche.indicateurs:
        return Rubrique("Indicateurs", [Bloc("Aucun indicateur chiffré.")])
    rows = []
    for ligne in fiche.indicateurs:
        rows.append(
            [
                f"{ligne.libelle_affiche} ({ligne.unite})"
                if ligne.unite
                else ligne.libelle_affiche,
                ligne.affichage or nombre(ligne.valeur),
                ligne.affichage_precedent or nombre(ligne.valeur_precedente),
                pourcentage(ligne.evolution_pct),
                ligne.source or "—",
            ]
        )
    headers = [h.format(annee=annee, precedente=annee - 1) for h in INDICATEUR_COLONNES]
    legende = f"Indicateurs de la fiche {fiche.numero}"
    return Rubrique("Indicateurs", tableau=Tableau(headers, rows, legende))


def fiche_rubriques(fiche: FicheContent, annee: int) -> list[Rubrique]:
    rubriques = [
        _texte("Descriptif", fiche.descriptif),
        _texte("Date de mise en place", fiche.date_mise_en_place),
        _texte("Partenaires", ", ".join(fiche.partenaires)),
        _texte("Durée", fiche.duree),
        _liste("Budget", fiche.budget) if fiche.budget else _texte("Budget", fiche.budget_texte),
        indicateurs(fiche, annee),
    ]
    if fiche.redeploiements:
        rubriques.append(_liste("Redéploiements", [r.texte for r in fiche.redeploiements]))
    for intitule, texte, a_relire in (
        ("Bilan d'exécution", fiche.bilan_execution, fiche.bilan_a_relire),
        ("Perspectives", fiche.perspectives, fiche.perspectives_a_relire),
    ):
        rubrique = _texte(intitule, texte, vide="À rédiger.")
        if a_relire and texte:
            rubrique.blocs.insert(0, Bloc(A_RELIRE))
        rubriques.append(rubrique)
    return rubriques


def incoherences(content: RapportContent) -> list[str]:
    return [f"Fiche {i.fiche} : {i.texte}" for i in content.incoherences]


def _euros(value) -> str:
    return euros(value) if value is not None else "—"


def annexe(content: RapportContent) -> list[Tableau]:
    """L'annexe financière : une ligne par fiche et financeur (prévu, transferts, total,
    exécuté saisi, valorisation à part), puis les totaux par financeur ; [] sans ligne."""
    a, annee = content.annexe_financiere, content.entete.annee
    if not a.lignes:
        return []
    lignes = [
        [ligne.fiche, ligne.financeur_libelle]
        + [
            _euros(v)
            for v in (ligne.prevu, ligne.transferts, ligne.total, ligne.execute, ligne.valorisation)
        ]
        for ligne in a.lignes
    ]
    totaux = [
        [t.financeur_libelle]
        + [_euros(v) for v in (t.prevu, t.transferts, t.total, t.execute, t.valorisation)]
        for t in a.totaux
    ]
    return [
        Tableau(
            list(ANNEXE_COLONNES), lignes, f"Annexe financière {annee}, par fiche et financeur"
        ),
        Tableau(list(TOTAUX_COLONNES), totaux, f"Totaux {annee} par financeur"),
    ]

"""Lectures du rapport d'exécution : années possibles, page du rapport (en un nombre fixe
de requêtes, quel que soit le nombre de fiches), contenu arrêté, comparaison des versions.

Le contenu calculé depuis les données (récapitulatif, indicateurs, redéploiements…) est
celui de `rapports.content.rapport_content`, s'il est présent."""

import dataclasses
import datetime
import importlib
import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.core import history
from pilotage.core.models import Revision
from pilotage.core.text_diff import TextDiff, word_diff

from .models import (
    CommentaireSection,
    Partie,
    RapportExecution,
    SectionRapport,
    SourceFinancement,
    ValidationRapport,
    VersionArretee,
)

logger = logging.getLogger(__name__)

Rubrique = SectionRapport.Rubrique
#: Rubriques rédigées pour chaque fiche, dans l'ordre du rapport.
RUBRIQUES_FICHE = (Rubrique.BILAN, Rubrique.PERSPECTIVES)
#: Révisions montrées dans l'historique de la page du rapport.
HISTORIQUE_LIMITE = 20


def annees_possibles(contrat: Contrat, today: datetime.date | None = None) -> list[int]:
    """Les années du contrat, passées ou en cours, qui n'ont pas encore de rapport."""
    today = today or timezone.localdate()
    faits = set(contrat.rapports.values_list("annee", flat=True))
    return [a for a in contrat.generation.annees if a <= today.year and a not in faits]


def rapports_du_contrat(contrat: Contrat) -> list[RapportExecution]:
    return list(
        contrat.rapports.prefetch_related("validations", "versions_arretees").order_by("-annee")
    )


def rapports_a_valider(user, today: datetime.date | None = None):
    """Rubrique « Mes tâches » : rapports soumis à relire (commenter) et à valider pour
    la partie de ce pilote."""
    return (
        RapportExecution.objects.a_valider_par(user)
        .select_related("contrat__departement")
        .order_by("annee", "pk")
    )


def rapports_a_arreter(user, today: datetime.date | None = None):
    """Rubrique « Mes tâches » : rapports validés par les trois parties, à arrêter."""
    return (
        RapportExecution.objects.a_arreter_par(user)
        .select_related("contrat__departement")
        .order_by("annee", "pk")
    )


def content_module():
    """Le module du contenu calculé, s'il existe déjà (il est écrit à part)."""
    try:
        return importlib.import_module("pilotage.rapports.content")
    except ModuleNotFoundError as exc:
        if exc.name != "pilotage.rapports.content":
            raise
        return None


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def contenu_calcule(contrat: Contrat, annee: int, sections=(), executes=None):
    """Le contenu calculé (`content.rapport_content`) avec les textes rédigés des
    `sections` et les montants exécutés saisis (`executes_du_rapport`), ou None si le
    module n'existe pas encore."""
    module = content_module()
    if module is None or not hasattr(module, "rapport_content"):
        return None
    sections = list(sections)
    return module.rapport_content(
        contrat, annee, textes=_textes(sections), executes=executes, a_relire=_a_relire(sections)
    )


def contenu_du_rapport(rapport: RapportExecution, sections=None):
    """`contenu_calcule` pour la version en cours d'un rapport : ses textes rédigés
    (`sections`, toutes par défaut) et ses montants exécutés ; None comme lui."""
    if sections is None:
        sections = rapport.sections.select_related("fiche")
    return contenu_calcule(rapport.contrat, rapport.annee, sections, executes_du_rapport(rapport))


def executes_du_rapport(rapport: RapportExecution) -> dict:
    """{(numéro de fiche tel qu'écrit, code du financeur) : montant exécuté} (une requête)."""
    montants = rapport.montants_executes.select_related("fiche")
    return {(m.fiche.numero_affiche, m.financeur): m.montant for m in montants}


def _textes(sections) -> dict[str, tuple[str, str]]:
    """{numéro de fiche tel qu'écrit : (bilan d'exécution, perspectives)}."""
    textes: dict[str, list[str]] = {}
    for section in sections:
        if section.rubrique in RUBRIQUES_FICHE and section.fiche_id:
            pair = textes.setdefault(section.fiche.numero_affiche, ["", ""])
            pair[RUBRIQUES_FICHE.index(section.rubrique)] = section.texte
    return {numero: (bilan, perspectives) for numero, (bilan, perspectives) in textes.items()}


def _a_relire(sections) -> dict[str, tuple[bool, bool]]:
    """{numéro de fiche : (bilan, perspectives encore proposés, qu'aucun pilote n'a relus)}."""
    flags: dict[str, list[bool]] = {}
    for section in sections:
        if section.rubrique in RUBRIQUES_FICHE and section.fiche_id and section.prerempli:
            pair = flags.setdefault(section.fiche.numero_affiche, [False, False])
            pair[RUBRIQUES_FICHE.index(section.rubrique)] = True
    return {numero: (bilan, perspectives) for numero, (bilan, perspectives) in flags.items()}


# --- Page du rapport -----------------------------------------------------------------


@dataclass
class SectionVue:
    """Une section telle que la page la montre (existante en base ou encore vide)."""

    rubrique: str
    libelle: str
    fiche: FicheAction | None = None
    source: str = ""
    section: SectionRapport | None = None
    commentaires: list = field(default_factory=list)
    #: Comparaison avec la version arrêtée précédente, si le texte a changé.
    diff: TextDiff | None = None
    #: Formulaires posés par la vue : texte ouvert en modification, commentaire.
    form: object = None
    comment_form: object = None
    #: « Reprendre la proposition » demandé : la confirmation s'affiche à sa place.
    reprise: bool = False

    @property
    def peut_reprendre(self) -> bool:
        """Un texte proposé à partir des données puis modifié par un pilote."""
        return bool(self.section and not self.section.prerempli and self.section.sources)

    @property
    def texte(self) -> str:
        return self.section.texte if self.section else ""

    @property
    def version(self) -> int:
        return self.section.version if self.section else 1

    @property
    def prerempli(self) -> bool:
        """Texte proposé à partir des données, qu'aucun pilote n'a encore enregistré."""
        return bool(self.section and self.section.prerempli)

    @property
    def sources(self) -> list[dict]:
        """D'où vient le texte proposé : [{libelle, url}]."""
        return list(self.section.sources or []) if self.section else []

    @property
    def fiche_choisie(self) -> FicheAction | None:
        if self.rubrique == Rubrique.ACTION_PERTINENTE and self.section:
            return self.section.fiche
        return None

    @property
    def cle(self) -> str:
        if self.rubrique == Rubrique.ACTION_PERTINENTE:
            return f"{self.rubrique}:{self.source}"
        return f"{self.rubrique}:{self.fiche.pk}"

    @property
    def ancre(self) -> str:
        if self.rubrique == Rubrique.ACTION_PERTINENTE:
            return f"section-{self.source}"
        return f"section-{self.rubrique}-{self.fiche.numero}"


@dataclass
class FicheVue:
    fiche: FicheAction
    sections: list[SectionVue]
    #: Ce que le contenu calculé dit de la fiche (indicateurs, redéploiements), s'il existe.
    calcule: object = None


@dataclass
class LigneCircuit:
    partie: str
    libelle: str
    validation: ValidationRapport | None


@dataclass
class PageRapport:
    rapport: RapportExecution
    actions_pertinentes: list[SectionVue]
    fiches: list[FicheVue]
    circuit: list[LigneCircuit]
    version_precedente: VersionArretee | None
    versions: list[VersionArretee]
    revisions: list[Revision]
    contenu: object = None
    nb_modifiees: int = 0

    @property
    def titre_correction(self) -> str:
        if self.version_precedente is None:
            return ""
        return f"Correction de la version {self.version_precedente.numero} arrêtée"

    @property
    def vues(self) -> list[SectionVue]:
        return self.actions_pertinentes + [s for f in self.fiches for s in f.sections]


def rapport_for(contrat: Contrat, annee: int) -> RapportExecution:
    """Le rapport de l'année, avec ses validations (404 s'il n'existe pas)."""
    validations = ValidationRapport.objects.select_related("user", "institution")
    rapport = get_object_or_404(
        RapportExecution.objects.filter(contrat=contrat).prefetch_related(
            Prefetch("validations", queryset=validations)
        ),
        annee=annee,
    )
    rapport.contrat = contrat
    return rapport


def _sections(rapport: RapportExecution) -> dict[str, SectionRapport]:
    commentaires = CommentaireSection.objects.select_related("auteur", "institution")
    sections = rapport.sections.select_related("fiche").prefetch_related(
        Prefetch("commentaires", queryset=commentaires)
    )
    return {s.cle: s for s in sections}


def _fiches(contrat: Contrat) -> list[FicheAction]:
    return list(FicheAction.objects.filter(contrat=contrat).with_retard().order_by("numero"))


def _vue(rubrique, libelle, sections, previous, *, fiche=None, source="") -> SectionVue:
    vue = SectionVue(rubrique=rubrique, libelle=libelle, fiche=fiche, source=source)
    vue.section = sections.get(vue.cle)
    if vue.section:
        vue.commentaires = list(vue.section.commentaires.all())
    if previous is not None:
        old = previous.get(vue.cle, {}).get("texte", "")
        if old != vue.texte:
            vue.diff = word_diff(old, vue.texte)
    return vue


def page_rapport(rapport: RapportExecution, *, avec_contenu: bool = True) -> PageRapport:
    """Tout ce que montre la page du rapport, en un nombre fixe de requêtes."""
    contrat = rapport.contrat
    sections = _sections(rapport)
    versions = list(rapport.versions_arretees.select_related("arrete_par").order_by("numero"))
    precedente = next((v for v in versions if v.numero == rapport.version - 1), None)
    if rapport.statut == RapportExecution.Statut.ARRETE:
        precedente = None  # la version courante est arrêtée : rien à comparer
    previous = precedente.sections() if precedente else None
    fiches = _fiches(contrat)
    by_pk = {f.pk: f for f in fiches}
    for section in sections.values():
        if section.fiche_id in by_pk:
            section.fiche = by_pk[section.fiche_id]
    actions = [
        _vue(
            Rubrique.ACTION_PERTINENTE,
            f"Action la plus pertinente – {label}",
            sections,
            previous,
            source=value,
        )
        for value, label in SourceFinancement.choices
    ]
    fiches_vues = [
        FicheVue(
            fiche=fiche,
            sections=[
                _vue(rubrique, rubrique.label, sections, previous, fiche=fiche)
                for rubrique in RUBRIQUES_FICHE
            ],
        )
        for fiche in fiches
    ]
    validations = {v.partie: v for v in rapport.validations.all() if v.version == rapport.version}
    circuit = [LigneCircuit(p, label, validations.get(p)) for p, label in Partie.choices]
    page = PageRapport(
        rapport=rapport,
        actions_pertinentes=actions,
        fiches=fiches_vues,
        circuit=circuit,
        version_precedente=precedente,
        versions=versions,
        revisions=revisions_du_rapport(rapport),
    )
    page.nb_modifiees = sum(1 for v in page.vues if v.diff is not None)
    if avec_contenu:
        page.contenu = _contenu_ou_rien(rapport, sections.values())
        par_numero = _fiches_calculees(page.contenu)
        for fiche_vue in page.fiches:
            fiche_vue.calcule = par_numero.get(fiche_vue.fiche.numero_affiche)
    return page


def _get(value, key, default=None):
    if isinstance(value, dict):
        return value.get(key, default)
    return getattr(value, key, default)


def _fiches_calculees(contenu) -> dict[str, object]:
    """Les fiches du contenu calculé par numéro tel qu'écrit (« 13-1 »)."""
    if contenu is None:
        return {}
    fiches = _get(contenu, "fiches") or []
    return {str(_get(f, "numero")): f for f in fiches}


def _contenu_ou_rien(rapport, sections):
    try:
        return contenu_du_rapport(rapport, sections)
    except Exception:  # la page reste lisible si le calcul échoue (erreur journalisée)
        logger.exception(
            "Contenu du rapport %s du contrat %s incalculable", rapport.annee, rapport.contrat_id
        )
        return None


def section_vue(rapport: RapportExecution, rubrique: str, *, fiche=None, source="") -> SectionVue:
    """Une seule section (fragment HTMX), comme la page la montre."""
    sections = _sections(rapport)
    precedente = None
    if rapport.statut != RapportExecution.Statut.ARRETE and rapport.version > 1:
        precedente = rapport.versions_arretees.filter(numero=rapport.version - 1).first()
    previous = precedente.sections() if precedente else None
    for section in sections.values():
        if fiche is not None and section.fiche_id == fiche.pk:
            section.fiche = fiche
    if rubrique == Rubrique.ACTION_PERTINENTE:
        label = f"Action la plus pertinente – {SourceFinancement(source).label}"
        return _vue(rubrique, label, sections, previous, source=source)
    return _vue(rubrique, Rubrique(rubrique).label, sections, previous, fiche=fiche)


def revisions_du_rapport(rapport: RapportExecution) -> list[Revision]:
    queryset = Revision.objects.for_object(rapport)[:HISTORIQUE_LIMITE]
    return history.revisions_for_display(queryset)


# --- Contenu arrêté ------------------------------------------------------------------


def contenu_arrete(rapport: RapportExecution, *, arrete_le) -> dict:
    """Le contenu figé d'une version arrêtée : textes rédigés, validations et contenu
    calculé depuis les données au moment de l'arrêté (JSON)."""
    sections = list(
        rapport.sections.select_related("fiche").order_by("rubrique", "fiche__numero", "source")
    )
    validations = rapport.validations.filter(version=rapport.version).select_related(
        "user", "institution"
    )
    try:
        calcule = contenu_du_rapport(rapport, sections)
    except Exception as exc:
        logger.exception("Contenu du rapport %s incalculable à l'arrêté", rapport.pk)
        raise ValidationError(
            "Le contenu du rapport n'a pas pu être calculé : il n'est pas arrêté. "
            "Réessayez ou signalez le problème."
        ) from exc
    return _jsonable(
        {
            "contrat": str(rapport.contrat),
            "annee": rapport.annee,
            "version": rapport.version,
            "arrete_le": arrete_le,
            "sections": [
                {
                    "cle": s.cle,
                    "rubrique": s.rubrique,
                    "libelle": s.libelle,
                    "fiche": s.fiche.numero_affiche if s.fiche_id else None,
                    "source": s.source,
                    "texte": s.texte,
                }
                for s in sections
            ],
            "validations": [
                {
                    "partie": v.partie,
                    "institution": v.institution.nom,
                    "par": str(v.user) if v.user else "",
                    "le": v.created_at,
                }
                for v in validations
            ],
            "calcule": _jsonable(calcule),
        }
    )

"""Import des fiches actions lues dans un document Word ou OpenDocument.

`fiches_import` applique le résultat de l'analyse (`importer.parse_document`) au
contrat : les fiches sont reconnues par leur numéro, créées ou mises à jour par
les services de `contrats` (historique et verrou compris), le tout en une seule
transaction. Avec `dry_run=True`, le même code s'exécute puis tout est annulé :
l'aperçu montre exactement ce que l'import fera.

Choix : à la mise à jour, une rubrique vide dans le document n'efface pas la
fiche ; les textes signés (moyens, calendrier) ne sont posés qu'à la création ;
les lignes des listes sont rapprochées des lignes existantes par leur libellé,
pour garder les dates des étapes et les réglages des indicateurs.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from pilotage.contrats import retraits as retraits_lignes
from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, FicheAction, today
from pilotage.core.models import Revision
from pilotage.core.services import Change, diff_snapshots
from pilotage.referentiel.models import IndicateurNational, Objectif
from pilotage.referentiel.unites import unite_fields

from . import regroupements as lignes_regroupees
from .depots import document_store
from .models import DocumentImporte

if TYPE_CHECKING:  # l'analyseur n'est chargé qu'à la lecture d'un document
    from .importer.result import Confiance

NATIONAL_PREFIX = re.compile(r"^\s*indicateur\s+national\s*:\s*", re.IGNORECASE)


class _DryRun(Exception):
    """Annule la transaction de l'aperçu."""


@dataclass(frozen=True)
class Absent:
    """Ligne suivie d'une fiche (indicateur, étape, acteur) que le document ne porte plus :
    conservée (par défaut) ou marquée retirée, jamais supprimée."""

    fiche_numero: int
    relation: str
    pk: int
    libelle: str
    #: Le suivi qu'elle porte, en texte : « 2 valeurs d'indicateurs, 1 relevé ».
    suivi: str
    retiree: bool = False

    @property
    def key(self) -> str:
        """Nom du choix « Conserver » / « Marquer comme retiré » dans l'aperçu."""
        return f"retrait-{self.relation}-{self.pk}"

    @property
    def nature(self) -> str:
        return retraits_lignes.LIBELLES[self.relation]


@dataclass
class FicheOutcome:
    numero: int
    titre: str
    action: str  # "creation", "mise_a_jour" ou "inchangee"
    changes: list[Change] = field(default_factory=list)
    #: Chiffres lus dans le texte des indicateurs (« 51 pour 747 … soit 6,8 % ») :
    #: ils seront proposés comme premières valeurs au suivi des indicateurs.
    valeurs_proposees: list[dict] = field(default_factory=list)
    #: Lignes suivies absentes du document (conservées ou retirées selon le choix).
    absents: list[Absent] = field(default_factory=list)
    #: Rubriques attendues lues dans le document (« 9 champs sur 11 reconnus »).
    confiance: "Confiance | None" = None
    #: Lignes d'un même indicateur réunies, avec leurs valeurs datées (ou gardées séparées).
    regroupements: list[lignes_regroupees.RegroupementApercu] = field(default_factory=list)
    #: Valeurs datées enregistrées pour ces regroupements (comptées aussi dans un aperçu).
    valeurs_creees: int = 0

    @property
    def action_label(self) -> str:
        return {
            "creation": "Nouvelle fiche",
            "mise_a_jour": "Mise à jour",
            "inchangee": "Aucun changement",
        }[self.action]


@dataclass
class ImportOutcome:
    fiches: list[FicheOutcome]
    warnings: list[Any]

    @property
    def absents(self) -> list[Absent]:
        return [absent for fiche in self.fiches for absent in fiche.absents]

    @property
    def a_modifier(self) -> int:
        """Fiches que la confirmation crée, met à jour ou peut modifier (ligne suivie
        absente du document, à conserver ou à marquer retirée)."""
        return sum(1 for fiche in self.fiches if fiche.action != "inchangee" or fiche.absents)

    @property
    def counts(self) -> dict[str, int]:
        result = {"creation": 0, "mise_a_jour": 0, "inchangee": 0}
        for fiche in self.fiches:
            result[fiche.action] += 1
        return result


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^\w%]+", " ", text.lower()).split())


def _match(rows, key, existing_rows, existing_key) -> list[dict]:
    """Attribue à chaque ligne importée l'id d'une ligne existante de même clé."""
    pool: dict[str, list] = {}
    for obj in existing_rows:
        pool.setdefault(existing_key(obj), []).append(obj)
    for row in rows:
        candidates = pool.get(key(row))
        if candidates:
            row["id"] = candidates.pop(0).pk
    return rows


def _indicateur_row(text: str, nature: str, national: dict[str, IndicateurNational]) -> dict:
    from .importer.indicators import read_cible  # l'analyseur, chargé à la lecture

    is_national = bool(NATIONAL_PREFIX.match(text))
    libelle = NATIONAL_PREFIX.sub("", text).strip()
    row = {"nature": nature, "libelle": libelle, "indicateur_national": None, "valeur_texte": ""}
    # « cible : 20 en 2027 » ; sans cible écrite, celle déjà saisie reste.
    if nature == "quantitatif" and (cible := read_cible(libelle)) is not None:
        row["cible"] = cible
    if not is_national:
        return row
    key = normalize(libelle)
    found = national.get(key)
    if found is None:
        # « Nombre d'enfants ayant bénéficié d'un BESM en 2024 : 787 » : libellé national
        # suivi d'une valeur propre au département.
        for nat_key, candidate in sorted(national.items(), key=lambda kv: -len(kv[0])):
            if key.startswith(nat_key):
                found = candidate
                row["valeur_texte"] = libelle[len(candidate.libelle) :].strip(" :")
                break
    if found is not None:
        row["indicateur_national"] = found
        row["libelle"] = found.libelle
    return row


def _acteur_row(text: str, existing_names: list[str]) -> dict:
    """« nom – implication » tel que l'export l'écrit, quand le nom est celui d'un acteur
    déjà connu de la fiche ; sinon le texte entier est le nom (un document peut écrire
    « Agents ASE – MDA POLARIS » pour deux acteurs)."""
    for nom in sorted(existing_names, key=len, reverse=True):
        if text == nom:
            return {"nom": nom, "implication": ""}
        if text.startswith(f"{nom} – "):
            return {"nom": nom, "implication": text[len(nom) + 3 :].strip()}
    return {"nom": text.strip(), "implication": ""}


def _payload_fields(parsed, existing: FicheAction | None) -> dict:
    """Champs texte de la fiche. À la mise à jour, une rubrique vide n'efface rien et les
    textes signés (moyens, calendrier) ne sont pas repris."""
    texts = {
        "titre": parsed.titre,
        "entete_objectifs": parsed.entete_objectifs,
        "departement_libelle": parsed.departement,
        "referent": parsed.referent,
        "constat": parsed.constat,
        "objectif_operationnel": parsed.objectif_operationnel,
        "description": parsed.description,
    }
    if existing is None:
        texts["moyens_texte"] = parsed.moyens_texte
        texts["calendrier_texte"] = parsed.calendrier_texte
    fields = {"numero": parsed.numero}
    fields.update({k: v for k, v in texts.items() if existing is None or (v or "").strip()})
    return fields


def _rank_key(financeur_of):
    """Clé « financeur#rang » : le n-ième financement d'un financeur répond au n-ième."""
    seen: dict[str, int] = {}

    def key(item):
        financeur = financeur_of(item)
        seen[financeur] = seen.get(financeur, 0) + 1
        return f"{financeur}#{seen[financeur]}"

    return key


def _jalons_match(jalons: list[dict], existing: FicheAction) -> None:
    existing_jalons = list(existing.jalons.all())
    for row in jalons:
        # L'export peut préfixer l'étape par sa période (« 2025 et suivantes : … »).
        for jalon in existing_jalons:
            prefix = f"{jalon.periode} : " if jalon.periode else None
            if prefix and row["libelle"].startswith(prefix):
                row["libelle"] = row["libelle"][len(prefix) :]
    _match(
        jalons,
        lambda r: normalize(r["libelle"]),
        existing_jalons,
        lambda o: normalize(o.libelle),
    )


def _rows_match(existing: FicheAction, acteurs, financements, jalons, indicateurs, points):
    """Rapproche les lignes importées des lignes existantes de la fiche."""
    _match(
        acteurs,
        lambda r: normalize(r["nom"]),
        existing.acteurs.all(),
        lambda o: normalize(o.nom),
    )
    _match(
        financements,
        _rank_key(lambda r: r["financeur"]),
        existing.financements.all(),
        _rank_key(lambda o: o.financeur),
    )
    _jalons_match(jalons, existing)
    _match(
        indicateurs,
        lambda r: f"{r['nature']}:{normalize(r['libelle'])}",
        existing.indicateurs.all(),
        lambda o: f"{o.nature}:{normalize(o.libelle)}",
    )
    _match(
        points,
        lambda r: normalize(r["libelle"]),
        existing.points_vigilance.all(),
        lambda o: normalize(o.libelle),
    )
    # Les lignes rapprochées gardent ce que le document ne porte pas.
    for row in jalons:
        row.setdefault("periode", "")
        if "id" in row:
            row.pop("periode")


def _jalons_periode(parsed, jalons: list[dict]) -> None:
    """À la création, la première ligne du calendrier signé sert de période aux étapes."""
    lead = (parsed.calendrier_texte or "").split("\n", 1)[0].strip().rstrip(" :")
    for row in jalons:
        row["periode"] = lead if lead and not lead.startswith("-") and len(lead) <= 100 else ""


def _insert_kept(rows: list[dict], existing_rows, kept: dict[int, dict]) -> list[dict]:
    """Remet chaque ligne conservée à sa place d'avant, après la ligne qui la précédait :
    conserver une ligne ne déplace rien, et la fiche reste « sans changement »."""
    result = list(rows)
    previous = None
    for obj in sorted(existing_rows, key=lambda o: (o.ordre, o.pk)):  # `ordre` seul, sans nature
        if obj.pk in kept:
            index = 0
            if previous is not None:
                index = next(i for i, r in enumerate(result) if r.get("id") == previous) + 1
            result.insert(index, kept[obj.pk])
            previous = obj.pk
        elif any(r.get("id") == obj.pk for r in result):
            previous = obj.pk
    return result


def _absents_keep(payload: dict, existing: FicheAction, suivis: dict, retraits: set[str]):
    """Les lignes suivies que le document ne porte plus restent dans la fiche, retirées du
    jour si leur clé est dans `retraits`, et sont rendues pour l'aperçu ; une ligne déjà
    retirée reste retirée sans être proposée. Les autres lignes absentes seront supprimées."""
    absents = []
    for relation in retraits_lignes.RETIRABLES:
        rows = payload[relation]
        matched = {row["id"] for row in rows if "id" in row}
        existing_rows = list(getattr(existing, relation).all())
        kept = {}
        for obj in existing_rows:
            if obj.pk in matched or obj.pk not in suivis[relation]:
                continue
            kept[obj.pk] = {"id": obj.pk}
            if obj.retire_le is not None:
                continue
            absent = Absent(existing.numero, relation, obj.pk, str(obj), suivis[relation][obj.pk])
            if absent.key in retraits:
                kept[obj.pk]["retire_le"] = today()
                absent = replace(absent, retiree=True)
            absents.append(absent)
        payload[relation] = _insert_kept(rows, existing_rows, kept)
    return absents


def _payload(parsed, *, contrat, existing, national, objectifs, quantitatifs: list[str]):
    """Traduit une fiche analysée en arguments des services de `contrats`."""
    fields = _payload_fields(parsed, existing)
    known_names = [a.nom for a in existing.acteurs.all()] if existing is not None else []
    retraits = getattr(parsed, "retraits", {})  # lecture gardée sur le document avant ce champ

    def retrait(row: dict, relation: str, text: str) -> dict:  # « (retiré le …) » lu
        date = retraits.get(f"{relation}:{text}")
        return row | {"retire_le": date} if date else row

    acteurs = [retrait(_acteur_row(a, known_names), "acteurs", a) for a in parsed.acteurs]
    financements = [contrats_services.financement_row(f) for f in parsed.financements]
    jalons = [retrait({"libelle": text}, "jalons", text) for text in parsed.calendrier]
    indicateurs = [
        retrait(_indicateur_row(t, nature, national), "indicateurs", t)
        for nature, texts in (
            ("quantitatif", quantitatifs),
            ("qualitatif", parsed.indicateurs_qualitatifs),
        )
        for t in texts
    ]
    points = [{"libelle": p} for p in parsed.points_vigilance]
    if existing is not None:
        _rows_match(existing, acteurs, financements, jalons, indicateurs, points)
    for row in indicateurs:
        # Une ligne rapprochée garde l'unité et le sens choisis ; une nouvelle ligne prend
        # ceux de l'indicateur national, ou l'unité que dit son libellé.
        if "id" not in row and row["nature"] == "quantitatif":
            row.update(unite_fields(row["libelle"], row["indicateur_national"]))
    else:
        _jalons_periode(parsed, jalons)
    return {
        "fields": fields,
        "objectifs": [objectifs[n] for n in parsed.objectifs if n in objectifs] or None,
        "acteurs": acteurs,
        "financements": financements,
        "jalons": jalons,
        "indicateurs": indicateurs,
        "points_vigilance": points,
    }


def _suivis(existing: dict[int, FicheAction]) -> dict[str, dict[int, str]]:
    """Lignes qui portent un suivi dans les fiches existantes, par liste (quelques
    requêtes, quel que soit le nombre de fiches)."""
    return {
        relation: retraits_lignes.suivis(
            model, [obj.pk for f in existing.values() for obj in getattr(f, relation).all()]
        )
        for relation, model in retraits_lignes.RETIRABLES.items()
    }


def _fiche_write(contrat, current, payload: dict, user, comment: str):
    """Crée la fiche lue (`current` : None) ou met à jour la fiche existante ; rend la
    fiche, ses changements et l'action (« creation », « mise_a_jour », « inchangee »)."""
    if current is None:
        payload["objectifs"] = payload["objectifs"] or []
        fiche = contrats_services.fiche_create(
            contrat=contrat,
            user=user,
            source=Revision.Source.IMPORT,
            comment=comment,
            **payload,
        )
        return fiche, diff_snapshots({}, contrats_services.fiche_snapshot(fiche)), "creation"
    before = contrats_services.fiche_snapshot(current)
    fiche = contrats_services.fiche_update(
        fiche=current,
        user=user,
        expected_version=current.version,
        source=Revision.Source.IMPORT,
        comment=comment,
        **payload,
    )
    changes = diff_snapshots(before, contrats_services.fiche_snapshot(fiche))
    return fiche, changes, "mise_a_jour" if changes else "inchangee"


def _apply(contrat, result, user, filename, retraits, separes):
    from .importer.indicators import attach_cibles  # l'analyseur, chargé à la lecture

    objectifs = {o.numero: o for o in Objectif.objects.filter(generation_id=contrat.generation_id)}
    national = {
        normalize(i.libelle): i
        for i in IndicateurNational.objects.filter(generation_id=contrat.generation_id)
    }
    existing = {
        f.numero: f
        for f in FicheAction.objects.filter(contrat=contrat).prefetch_related(
            "objectifs", "referents", *contrats_services.FICHE_LISTS
        )
    }
    suivis = _suivis(existing)
    comment = f"Import du fichier « {filename} »"
    warnings = list(result.warnings)
    outcomes, revisions = [], []
    for parsed in result.fiches:
        if parsed.numero is None:
            continue  # déjà signalé par l'analyse
        current = existing.get(parsed.numero)
        quantitatifs, groupes = lignes_regroupees.quantitatifs(parsed, separes)
        quantitatifs = attach_cibles(quantitatifs)  # « Cible 2027 : 40 » sur une ligne à part
        payload = _payload(
            parsed,
            contrat=contrat,
            existing=current,
            national=national,
            objectifs=objectifs,
            quantitatifs=quantitatifs,
        )
        absents = _absents_keep(payload, current, suivis, retraits) if current else []
        fiche, changes, action = _fiche_write(contrat, current, payload, user, comment)
        if changes:
            revisions.append(Revision.objects.for_object(fiche).first())
        valeurs = lignes_regroupees.valeurs_record(
            fiche=fiche, apercus=groupes, user=user, filename=filename
        )
        outcomes.append(
            FicheOutcome(
                parsed.numero,
                fiche.titre,
                action,
                changes,
                list(getattr(parsed, "valeurs_proposees", []) or []),
                absents,
                parsed.confiance(),
                groupes,
                valeurs,
            )
        )
    return ImportOutcome(outcomes, warnings), revisions


def fiches_import(
    *,
    contrat: Contrat,
    result,
    user,
    filename: str,
    data: bytes | None = None,
    dry_run: bool = False,
    document: DocumentImporte | None = None,
    retraits: set[str] | frozenset[str] = frozenset(),
    separes: set[str] | frozenset[str] = frozenset(),
) -> ImportOutcome:
    """Crée ou met à jour les fiches du contrat d'après un document analysé.

    Tout ou rien : une erreur annule l'ensemble. Avec `dry_run`, rien n'est gardé.
    Le fichier (`data` ou `document`) est conservé et relié aux révisions produites.
    Une ligne qui porte un suivi (valeurs, relevés…) et que le document ne porte plus
    n'est jamais supprimée : elle est conservée, ou marquée retirée si sa clé
    (`Absent.key`) est dans `retraits` ; une clé inconnue est sans effet.
    Les lignes d'un même indicateur pour plusieurs années sont réunies en un indicateur à
    valeurs datées (`regroupements`), sauf celles dont la clé est dans `separes`.
    """
    try:
        with transaction.atomic():
            outcome, revisions = _apply(
                contrat, result, user, filename, set(retraits), set(separes)
            )
            if dry_run:
                raise _DryRun
            if document is None and data is not None:
                document = document_store(contrat=contrat, user=user, filename=filename, data=data)
            if document is not None:
                document.statut = DocumentImporte.Statut.APPLIQUE
                document.applied_at = timezone.now()
                document.lecture = None  # gardée pour la confirmation, inutile ensuite
                document.save(update_fields=["statut", "applied_at", "lecture"])
                document.revisions.add(*[r for r in revisions if r])
    except _DryRun:
        pass
    return outcome

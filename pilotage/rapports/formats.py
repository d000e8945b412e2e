"""Formats de sortie du rapport d'exécution : `EXPORTERS` associe un format à la fonction
qui écrit le contenu calculé (`content.rapport_content`) en octets. Le JSON est décrit
dans docs/format-rapport-execution.md ; les autres formats (docx, odt, pdf, et l'annexe
financière en xlsx et ods) s'y inscrivent par `register` (`rapports/exports/`)."""

import dataclasses
import datetime
import json
from collections.abc import Callable
from decimal import Decimal

from .content import RapportContent

Exporter = Callable[[RapportContent], bytes]

#: format → fonction (contenu du rapport → octets du fichier).
EXPORTERS: dict[str, Exporter] = {}

#: Les formats que la commande accepte, inscrits ou non.
FORMATS = ("json", "docx", "odt", "pdf", "xlsx", "ods")

#: Format → (libellé du bouton, type MIME), dans l'ordre de la page du rapport.
TELECHARGEMENT = {
    "docx": (
        "Word (.docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": ("OpenDocument (.odt)", "application/vnd.oasis.opendocument.text"),
    "pdf": ("PDF accessible (.pdf)", "application/pdf"),
    "xlsx": (
        "Annexe financière (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ods": ("Annexe financière (.ods)", "application/vnd.oasis.opendocument.spreadsheet"),
    "json": ("Données (.json)", "application/json"),
}

#: Format → ce que le bouton « Générer … » produit (« Générer le PDF »).
NOMS = {
    "docx": "le Word",
    "odt": "l'OpenDocument",
    "pdf": "le PDF",
    "xlsx": "l'annexe financière (.xlsx)",
    "ods": "l'annexe financière (.ods)",
}

#: Formats dont la production dépasse quelques secondes (PDF de WeasyPrint) : pour la
#: version en rédaction, la page les fait produire en tâche de fond (« Générer le PDF »)
#: au lieu de faire attendre la requête.
EN_FOND = frozenset({"pdf"})


def register(fmt: str) -> Callable[[Exporter], Exporter]:
    def decorator(function: Exporter) -> Exporter:
        EXPORTERS[fmt] = function
        return function

    return decorator


def _number(value: Decimal | None) -> int | float | None:
    """Un montant ou une valeur en nombre JSON : entier s'il l'est (593), sinon décimal (13.97)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value):
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _recapitulatif(content: RapportContent) -> dict:
    r = content.recapitulatif
    return {
        "prevues": r.prevues,
        "mises_en_oeuvre": r.mises_en_oeuvre,
        "en_retard": r.en_retard,
        "abandonnees": r.abandonnees,
        "fiches": {
            "prevues": r.fiches_prevues,
            "mises_en_oeuvre": r.fiches_mises_en_oeuvre,
            "en_retard": r.fiches_en_retard,
            "abandonnees": r.fiches_abandonnees,
        },
        "raisons": _plain(r.raisons),
    }


def _indicateur(ligne) -> dict:
    return {
        "libelle": ligne.libelle,
        "unite": ligne.unite,
        "valeur": _number(ligne.valeur),
        "valeur_precedente": _number(ligne.valeur_precedente),
        "evolution_pct": _number(ligne.evolution_pct),
        "source": ligne.source,
        "source_precedente": ligne.source_precedente,
        "numerateur": _number(ligne.numerateur),
        "denominateur": _number(ligne.denominateur),
        "taux_indique": _number(ligne.taux_indique),
        "lien": ligne.url,
        "retire_le": ligne.retire_le.isoformat() if ligne.retire_le else None,
    }


def _fiche(fiche) -> dict:
    return {
        "numero": fiche.numero,
        "titre": fiche.titre,
        "etat": fiche.etat,
        "en_retard": fiche.en_retard,
        "engagement": fiche.engagement,
        "mesure": fiche.mesure,
        "objectif": fiche.objectif,
        "objectif_statut": fiche.objectif_statut,
        "descriptif": fiche.descriptif,
        "date_mise_en_place": fiche.date_mise_en_place,
        "partenaires": fiche.partenaires,
        "duree": fiche.duree,
        "budget": fiche.budget,
        "budget_texte": fiche.budget_texte,
        "indicateurs": [_indicateur(i) for i in fiche.indicateurs],
        "redeploiements": _plain(fiche.redeploiements),
        "bilan_execution": fiche.bilan_execution,
        "perspectives": fiche.perspectives,
        "bilan_a_relire": fiche.bilan_a_relire,
        "perspectives_a_relire": fiche.perspectives_a_relire,
        "lien": fiche.url,
    }


def rapport_json(content: RapportContent) -> dict:
    """Le contenu du rapport en objets JSON (format : docs/format-rapport-execution.md)."""
    return {
        "format": "pilotage-partage/rapport-execution",
        "version_format": 1,
        "entete": _plain(content.entete),
        "recapitulatif": _recapitulatif(content),
        "engagements": _plain(content.engagements),
        "fiches": [_fiche(f) for f in content.fiches],
        "annexe_financiere": _plain(content.annexe_financiere),
        "incoherences": _plain(content.incoherences),
    }


@register("json")
def export_json(content: RapportContent) -> bytes:
    return (json.dumps(rapport_json(content), ensure_ascii=False, indent=2) + "\n").encode()

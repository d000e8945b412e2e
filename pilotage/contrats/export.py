"""Export d'un contrat complet en structure JSON (voir docs/format-export-contrat.md).

C'est la base de la portabilité et des sauvegardes : chaque capability ajoute
ses propres données sous sa clé (valeurs d'indicateurs, relevés, réunions…).
"""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from pilotage.core.exports import CONTRIBUTORS

from .models import Contrat, FicheAction, Signataire

FORMAT_NAME = "pilotage-partage/contrat"
FORMAT_VERSION = 1


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _indicateur(i) -> dict[str, Any]:
    return {
        "nature": i.nature,
        "libelle": i.libelle,
        "indicateur_national": i.indicateur_national.libelle if i.indicateur_national else None,
        "unite": i.symbole,  # « % », « € », le texte d'une autre unité ; vide : un nombre
        "unite_code": i.unite,
        "sens": i.sens,
        "valeur_reference": _number(i.valeur_reference),
        "annee_reference": i.annee_reference,
        "cible": _number(i.cible),
        "valeur_texte": i.valeur_texte,
        "retire_le": _date(i.retire_le),
    }


def fiche_export(fiche: FicheAction, refs: dict | None = None) -> dict[str, Any]:
    """La fiche et ses listes ; `refs["indicateurs"]` relie l'id de chaque indicateur à
    son dictionnaire, que les contributions complètent (valeurs saisies)."""
    indicateurs = []
    for i in fiche.indicateurs.all():
        item = _indicateur(i)
        indicateurs.append(item)
        if refs is not None:
            refs.setdefault("indicateurs", {})[i.pk] = item
    return {
        "numero": fiche.numero,
        "titre": fiche.titre,
        "objectifs": [o.numero for o in sorted(fiche.objectifs.all(), key=lambda o: o.sort_key)],
        "entete_objectifs": fiche.entete_objectifs,
        "departement_libelle": fiche.departement_libelle,
        "referent": fiche.referent,
        "referents_utilisateurs": sorted(u.email for u in fiche.referents.all()),
        "constat": fiche.constat,
        "objectif_operationnel": fiche.objectif_operationnel,
        "description": fiche.description,
        "acteurs": [
            {"nom": a.nom, "implication": a.implication, "retire_le": _date(a.retire_le)}
            for a in fiche.acteurs.all()
        ],
        "moyens_texte": fiche.moyens_texte,
        "financements": [
            {
                "financeur": f.financeur,
                "libelle": f.libelle,
                "montant": _number(f.montant),
                "annee": f.annee,
                "valorisation": f.valorisation,
                "note": f.note,
            }
            for f in fiche.financements.all()
        ],
        "calendrier_texte": fiche.calendrier_texte,
        "jalons": [
            {
                "libelle": j.libelle,
                "periode": j.periode,
                "date_prevue": _date(j.date_prevue),
                "date_realisation": _date(j.date_realisation),
                "retire_le": _date(j.retire_le),
            }
            for j in fiche.jalons.all()
        ],
        "indicateurs": indicateurs,
        "points_vigilance": [p.libelle for p in fiche.points_vigilance.all()],
        "etat": fiche.etat,
        "motif_abandon": fiche.motif_abandon,
        "fiche_beneficiaire": fiche.fiche_beneficiaire.numero if fiche.fiche_beneficiaire else None,
        "a_impact": fiche.a_impact,
        "version": fiche.version,
    }


def contrat_export(contrat: Contrat, *, viewer=None) -> dict[str, Any]:
    """Le contrat entier en structure sérialisable JSON, en un nombre fixe de requêtes.

    Sans `viewer` (commande d'administration), l'export est une sauvegarde complète ;
    avec, chaque contribution n'y met que ce que cet utilisateur a le droit de voir.
    """
    contrat = (
        Contrat.objects.select_related("departement__region", "generation")
        .prefetch_related(
            Prefetch("signataires", queryset=Signataire.objects.select_related("institution"))
        )
        .get(pk=contrat.pk)
    )
    fiches = FicheAction.objects.filter(contrat=contrat).completes().order_by("numero")
    refs: dict = {"viewer": viewer}
    data = {
        "format": FORMAT_NAME,
        "version_format": FORMAT_VERSION,
        "exporte_le": timezone.now().isoformat(timespec="seconds"),
        "contrat": {
            "departement": {"code": contrat.departement.code, "nom": contrat.departement.nom},
            "region": {
                "code": contrat.departement.region.code,
                "nom": contrat.departement.region.nom,
            },
            "generation": contrat.generation.code,
            "statut": contrat.statut,
            "date_signature": _date(contrat.date_signature),
            "annee_premiere_contractualisation": contrat.annee_premiere_contractualisation,
            "signataires": [
                {
                    "institution": s.institution.nom if s.institution else None,
                    "fonction": s.fonction,
                    "nom": s.nom,
                }
                for s in contrat.signataires.all()
            ],
        },
        "fiches": [],
    }
    for fiche in fiches:
        item = fiche_export(fiche, refs)
        refs.setdefault("fiches", {})[fiche.pk] = item
        data["fiches"].append(item)
    for contribute in CONTRIBUTORS:
        contribute(contrat, data, refs)
    return data

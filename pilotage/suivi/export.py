"""Ajoute à l'export JSON du contrat les valeurs saisies de chaque indicateur."""

from decimal import Decimal

from django.db.models import Prefetch

from pilotage.core.exports import register

from .models import Releve, ReleveEtape, ValeurIndicateur


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@register
def add_valeurs(contrat, data: dict, refs: dict) -> None:
    indicateurs = refs.get("indicateurs", {})
    for item in indicateurs.values():
        item["valeurs"] = []
    for v in ValeurIndicateur.objects.of_contrat(contrat).select_related("user"):
        item = indicateurs.get(v.indicateur_id)
        if item is None:
            continue
        item["valeurs"].append(
            {
                "annee": v.annee,
                "semestre": v.semestre,
                "valeur": _number(v.valeur),
                "numerateur": _number(v.numerateur),
                "denominateur": _number(v.denominateur),
                "taux": _number(v.taux),
                "taux_indique": _number(v.taux_indique),
                "source": v.source,
                "commentaire": v.commentaire,
                "saisie_le": v.created_at.isoformat(timespec="seconds"),
                "saisie_par": v.user.email if v.user else None,
            }
        )


@register
def add_releves(contrat, data: dict, refs: dict) -> None:
    """Les relevés avec leur statut et leur circuit : tous pour une sauvegarde, sinon
    seulement ceux que l'utilisateur qui télécharge peut voir (brouillons de son institution)."""
    fiches = refs.get("fiches", {})
    for item in fiches.values():
        item["releves"] = []
    releves = Releve.objects.all()
    if refs.get("viewer") is not None:
        releves = releves.visibles_par(refs["viewer"])
    releves = (
        releves.filter(fiche__contrat=contrat)
        .select_related("indicateur", "auteur", "institution")
        .prefetch_related(Prefetch("etapes", queryset=ReleveEtape.objects.select_related("user")))
        .order_by("date_observation", "pk")
    )
    for r in releves:
        fiches[r.fiche_id]["releves"].append(
            {
                "indicateur": r.indicateur.libelle,
                "date_observation": r.date_observation.isoformat(),
                "situation": r.situation,
                "questions": r.questions,
                "faits": r.faits,
                "ameliorations": r.ameliorations,
                "statut": r.statut,
                "auteur": r.auteur.email,
                "institution": r.institution.nom if r.institution else None,
                "etapes": [
                    {
                        "action": e.action,
                        "par": e.user.email if e.user else None,
                        "le": e.created_at.isoformat(timespec="seconds"),
                        "commentaire": e.commentaire,
                    }
                    for e in r.etapes.all()
                ],
            }
        )

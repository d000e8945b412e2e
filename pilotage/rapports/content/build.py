"""`rapport_content(contrat, annee)` : le contenu du rapport d'exécution d'une année, lu
dans les données (aucune écriture), en un nombre de requêtes qui ne dépend pas du nombre
de fiches."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats import retraits
from pilotage.contrats.models import Contrat, Etat, FicheAction
from pilotage.referentiel.models import Engagement, Objectif
from pilotage.suivi.models import ValeurIndicateur
from pilotage.territoires.models import Institution

from . import finances, indicateurs
from .types import (
    EngagementSection,
    Entete,
    FicheContent,
    ObjectifSection,
    Raison,
    RapportContent,
    Recapitulatif,
)

MISES_EN_OEUVRE = (Etat.EN_COURS, Etat.REALISEE)
DPJJ = re.compile(r"\b(?:D?PJJ|protection judiciaire de la jeunesse)\b", re.I)
DGESCO = re.compile(
    r"\b(?:DGESCO|DSDEN|[ée]ducation nationale|rectorat|inspection acad[ée]mique)\b"
    r"|(?-i:\bEN\b)",  # « EN » en capitales seulement : « en » est un mot
    re.I,
)
STATUTS = {
    Objectif.Statut.OBLIGATOIRE: (0, "Objectifs obligatoires"),
    Objectif.Statut.FONDAMENTAL: (1, "Objectifs fondamentaux"),
    Objectif.Statut.FACULTATIF: (2, "Objectifs facultatifs"),
    Objectif.Statut.A_COMPLETER: (3, "Objectifs"),
}
SANS_OBJECTIF = "Fiches sans objectif du référentiel"


def _contrat(contrat: Contrat) -> Contrat:
    return (
        Contrat.objects.select_related("departement__region", "generation")
        .prefetch_related("signataires__institution")
        .get(pk=contrat.pk)
    )


def _fiches(contrat: Contrat, annees: tuple[int, ...]) -> list[FicheAction]:
    valeurs = ValeurIndicateur.objects.filter(annee__in=annees).order_by(
        "annee", "semestre", "created_at", "pk"
    )
    return list(
        contrat.fiches.completes()
        .select_related("fiche_beneficiaire")
        .prefetch_related(
            "objectifs__engagement", Prefetch("indicateurs__valeurs", queryset=valeurs)
        )
        .order_by("numero")
    )


def _premiere(contrat: Contrat) -> int | None:
    """Année de première contractualisation : celle du contrat, sinon celle d'un contrat
    d'une génération précédente du département, sinon l'année de sa propre signature."""
    if contrat.annee_premiere_contractualisation:
        return contrat.annee_premiere_contractualisation
    earlier = (
        Contrat.objects.filter(
            departement_id=contrat.departement_id,
            generation__annee_debut__lt=contrat.generation.annee_debut,
        )
        .select_related("generation")
        .order_by("generation__annee_debut")
    )
    for other in earlier:
        year = other.annee_premiere_contractualisation or (
            other.date_signature.year if other.date_signature else None
        )
        if year:
            return year
    return contrat.date_signature.year if contrat.date_signature else None


def _collaboration(contrat, fiches, pattern, institution_type) -> bool | None:
    """Oui quand un signataire ou un partenaire d'une fiche est de l'institution ; None
    (« les données ne le disent pas ») sinon : l'absence d'un nom ne vaut pas un non."""
    for s in contrat.signataires.all():
        if s.institution and s.institution.type == institution_type:
            return True
    names = [a.nom for f in fiches for a in f.acteurs.all()]
    return True if any(pattern.search(name) for name in names) else None


def _entete(contrat, fiches, annee, date) -> Entete:
    return Entete(
        departement=contrat.departement.nom,
        departement_code=contrat.departement.code,
        region=contrat.departement.region.nom,
        generation=contrat.generation.code,
        annee=annee,
        annee_premiere_contractualisation=_premiere(contrat),
        collaboration_dpjj=_collaboration(contrat, fiches, DPJJ, Institution.Type.PJJ),
        collaboration_dgesco=_collaboration(contrat, fiches, DGESCO, Institution.Type.EDUCATION),
        date=date,
    )


def _reference(annee: int, date: datetime.date) -> datetime.date:
    """Une étape est en retard au rapport de l'année si elle était prévue au plus tard le
    31 décembre (ou avant la date du rapport) et n'est pas réalisée."""
    return min(datetime.date(annee + 1, 1, 1), date)


def _etapes_en_retard(fiche, reference) -> list[str]:
    if fiche.etat in (Etat.REALISEE, Etat.ABANDONNEE):
        return []
    return [
        j.as_text()
        for j in fiche.jalons.all()
        # une étape retirée du contrat n'est plus attendue : jamais en retard
        if j.date_prevue
        and j.date_prevue < reference
        and j.date_realisation is None
        and j.retire_le is None
    ]


def _recapitulatif(fiches, reference, decisions) -> Recapitulatif:
    numero = FicheAction.numero_affiche.fget
    late = {f.pk: etapes for f in fiches if (etapes := _etapes_en_retard(f, reference))}
    abandoned = [f for f in fiches if f.etat == Etat.ABANDONNEE]
    motifs = {
        d.point.fiche_id: d.changement.get("motif") or d.texte
        for d in decisions
        if (d.changement or {}).get("action") == "abandonner"
    }
    raisons = [
        Raison(
            fiche=f.numero_affiche,
            nature="abandon",
            texte=f.motif_abandon or motifs.get(f.pk, ""),
        )
        for f in abandoned
    ]
    for f in fiches:
        if f.pk in late:
            points = "; ".join(p.libelle for p in f.points_vigilance.all())
            raisons.append(
                Raison(
                    fiche=f.numero_affiche,
                    nature="retard",
                    texte=points or "; ".join(late[f.pk]),
                    etapes=late[f.pk],
                )
            )
    implemented = [f for f in fiches if f.etat in MISES_EN_OEUVRE]
    return Recapitulatif(
        prevues=len(fiches),
        mises_en_oeuvre=len(implemented),
        en_retard=len(late),
        abandonnees=len(abandoned),
        fiches_prevues=[numero(f) for f in fiches],
        fiches_mises_en_oeuvre=[numero(f) for f in implemented],
        fiches_en_retard=[numero(f) for f in fiches if f.pk in late],
        fiches_abandonnees=[numero(f) for f in abandoned],
        raisons=raisons,
    )


def _objectif(fiche) -> Objectif | None:
    objectifs = sorted(fiche.objectifs.all(), key=lambda o: o.sort_key)
    return objectifs[0] if objectifs else None


def _objectif_titre(objectif: Objectif) -> str:
    """L'intitulé, ou « Objectif n°3 » tant que le référentiel ne le donne pas."""
    return objectif.libelle_court if objectif.titre_a_completer else objectif.titre


def _section_key(objectif: Objectif):
    engagement = objectif.engagement
    rank = STATUTS.get(objectif.statut, (9, ""))[0]
    mesure = objectif.mesure.ordre if objectif.mesure else -1
    return (
        engagement.type != Engagement.Type.ENGAGEMENT if engagement else True,
        engagement.numero if engagement else 0,
        rank,
        mesure,
        objectif.sort_key,
    )


def _engagements(fiches) -> tuple[list[EngagementSection], list[FicheAction]]:
    """Engagement → objectifs (fondamentaux, facultatifs), mesure s'il y en a → fiches, et
    les fiches dans l'ordre du rapport."""
    by_objectif: dict[int, tuple[Objectif, list]] = {}
    orphans = []
    for fiche in fiches:
        objectif = _objectif(fiche)
        if objectif is None:
            orphans.append(fiche)
            continue
        by_objectif.setdefault(objectif.pk, (objectif, []))[1].append(fiche)
    sections: list[EngagementSection] = []
    ordered = []
    for objectif, group in sorted(by_objectif.values(), key=lambda e: _section_key(e[0])):
        libelle = objectif.engagement.libelle if objectif.engagement else ""
        if not sections or sections[-1].libelle != libelle:
            sections.append(EngagementSection(libelle=libelle, objectifs=[]))
        sections[-1].objectifs.append(
            ObjectifSection(
                statut=STATUTS.get(objectif.statut, (9, "Objectifs"))[1],
                mesure=objectif.mesure.titre if objectif.mesure else "",
                objectif=_objectif_titre(objectif),
                libelle=objectif.libelle_court,
                fiches=[f.numero_affiche for f in group],
            )
        )
        ordered.extend(group)
    if orphans:
        sections.append(
            EngagementSection(
                libelle=SANS_OBJECTIF,
                objectifs=[ObjectifSection("", "", "", "", [f.numero_affiche for f in orphans])],
            )
        )
        ordered.extend(orphans)
    return sections, ordered


def _partenaire(acteur) -> str:
    """« CH (accueil) », suivi de « (retiré le …) » pour un acteur retiré du contrat."""
    text = f"{acteur.nom} ({acteur.implication})" if acteur.implication else acteur.nom
    return text + retraits.mention(acteur.retire_le)


def _fiche(fiche, annee, late, moves, textes, a_relire) -> FicheContent:
    objectif = _objectif(fiche)
    engagement = objectif.engagement if objectif else None
    bilan, perspectives = textes.get(fiche.numero_affiche, ("", ""))
    bilan_a_relire, perspectives_a_relire = a_relire.get(fiche.numero_affiche, (False, False))
    return FicheContent(
        numero=fiche.numero_affiche,
        numero_tri=fiche.numero,
        titre=fiche.titre,
        etat=fiche.etat,
        etat_libelle=fiche.get_etat_display(),
        en_retard=fiche.numero_affiche in late,
        engagement=engagement.libelle if engagement else "",
        mesure=objectif.mesure.titre if objectif and objectif.mesure else "",
        objectif=_objectif_titre(objectif) if objectif else "",
        objectif_statut=objectif.statut_libelle if objectif else "",
        descriptif=fiche.description,
        date_mise_en_place=fiche.date_mise_en_place,
        partenaires=[_partenaire(a) for a in fiche.acteurs.all()],
        duree=fiche.duree,
        budget=[f.as_text() for f in finances.financements_annee(fiche, annee)],
        budget_texte=fiche.moyens_texte,
        indicateurs=[
            indicateurs.indicateur_ligne(fiche, i, annee) for i in indicateurs.quantitatifs(fiche)
        ],
        redeploiements=moves.get(fiche.numero_affiche, []),
        bilan_execution=bilan,
        perspectives=perspectives,
        bilan_a_relire=bilan_a_relire,
        perspectives_a_relire=perspectives_a_relire,
        url=reverse("contrats:fiche", args=[fiche.contrat_id, fiche.numero]),
    )


def _check_annee(contrat: Contrat, annee) -> int:
    try:
        annee = int(annee)
    except (TypeError, ValueError):
        raise ValidationError("L'année doit être un nombre, par exemple 2024.") from None
    generation = contrat.generation
    if annee not in generation.annees:
        raise ValidationError(
            f"L'année {annee} n'est pas dans la période du contrat {generation.code} "
            f"({generation.annee_debut} à {generation.annee_fin})."
        )
    return annee


def rapport_content(
    contrat: Contrat,
    annee: int,
    *,
    date: datetime.date | None = None,
    textes: dict[str, tuple[str, str]] | None = None,
    executes: dict[tuple[str, str], Decimal] | None = None,
    a_relire: dict[str, tuple[bool, bool]] | None = None,
) -> RapportContent:
    """Le rapport d'exécution de `annee` pour `contrat`, calculé depuis les données.

    `textes` : {numéro de fiche tel qu'écrit: (bilan d'exécution, perspectives)}, les textes
    rédigés par les pilotes (vides sinon : ils ne se déduisent pas des chiffres).
    `executes` : {(numéro de fiche, code du financeur) : montant exécuté saisi}.
    `a_relire` : {numéro de fiche : (bilan, perspectives encore proposés, non relus)}.
    Lève ValidationError si l'année n'est pas dans la période du contrat."""
    contrat = _contrat(contrat)
    annee = _check_annee(contrat, annee)
    date = date or timezone.localdate()
    annees = (annee, annee - 1)
    fiches = _fiches(contrat, annees)
    decisions = finances.contrat_decisions(contrat)
    recapitulatif = _recapitulatif(fiches, _reference(annee, date), decisions)
    moves = finances.par_fiche(finances.redeploiements(fiches, decisions, annee))
    engagements, ordered = _engagements(fiches)
    others = indicateurs.autres_contrats_valeurs(contrat, annees)
    late = set(recapitulatif.fiches_en_retard)
    return RapportContent(
        contrat_id=contrat.pk,
        entete=_entete(contrat, fiches, annee, date),
        recapitulatif=recapitulatif,
        engagements=engagements,
        fiches=[_fiche(f, annee, late, moves, textes or {}, a_relire or {}) for f in ordered],
        annexe_financiere=finances.annexe_financiere(ordered, annee, executes),
        incoherences=indicateurs.contrat_incoherences(ordered, annees)
        + indicateurs.croisees_incoherences(contrat, ordered, others, annees),
    )

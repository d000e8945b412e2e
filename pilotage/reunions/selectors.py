"""Lectures des réunions de suivi, partagées par les vues, les documents, l'export, les
services et les applications qui en dépendent (HackSoft : les écritures sont dans
`services`, les lectures réutilisées ici ou en méthodes de QuerySet).

- rang des réunions (« 2026 – réunion 2 ») : `reunions_rangs`, sur la règle unique
  `ReunionQuerySet.avec_rang` ;
- prochaine réunion conseillée (6 à 8 mois après la dernière) : `prochaine_reunion` ;
- ordre du jour et décisions reportées : `fiches_ordre_du_jour`, `ordre_du_jour_court`,
  `decisions_reportees` ;
- circuit du compte rendu : `institutions_validatrices`, `comptes_rendus_a_valider`,
  `comptes_rendus_a_reprendre` ;
- page d'accueil : `prochaines_reunions`, `decisions_ouvertes` (module `accueil`).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from pilotage.contrats.models import Contrat, FicheAction, Habilitation
from pilotage.core import history
from pilotage.core.models import Revision
from pilotage.core.personal_data import detect, highlight
from pilotage.suivi.models import Releve
from pilotage.territoires.models import Institution

from .models import Decision, NoteSeance, PointOrdreDuJour, Reunion, ValidationCompteRendu

#: Intervalle entre deux réunions voulu par le groupe de travail (« tous les 6 à 8 mois »).
INTERVALLE_MOIS = (6, 8)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- Prochaine réunion ------------------------------------------------------------


@dataclass(frozen=True)
class Proposition:
    """Fenêtre proposée pour la prochaine réunion d'un contrat."""

    derniere: Reunion | None
    prochaine: Reunion | None
    debut: datetime.date
    fin: datetime.date

    @property
    def alerte(self) -> bool:
        """Aucune réunion n'est planifiée alors qu'il en faudrait une."""
        return self.prochaine is None

    @property
    def en_retard(self) -> bool:
        return self.prochaine is None and timezone.localdate() > self.fin


def prochaine_reunion(
    contrat: Contrat, *, today: datetime.date | None = None, reunions=None
) -> Proposition:
    """Propose la prochaine réunion 6 à 8 mois après la dernière tenue.

    Sans réunion passée, la fenêtre part de la signature du contrat (ou d'aujourd'hui).
    `reunions` : les réunions du contrat déjà chargées (une page qui les liste), pour ne
    pas les redemander ; les annulées y sont ignorées."""
    today = today or timezone.localdate()
    now = timezone.now()
    if reunions is None:
        reunions = contrat.reunions.exclude(statut=Reunion.Statut.ANNULEE)
        derniere = reunions.filter(date__lt=now).order_by("-date").first()
        prochaine = reunions.filter(date__gte=now).order_by("date").first()
    else:
        kept = sorted(
            (r for r in reunions if r.statut != Reunion.Statut.ANNULEE),
            key=lambda r: (r.date, r.pk),
        )
        derniere = next((r for r in reversed(kept) if r.date < now), None)
        prochaine = next((r for r in kept if r.date >= now), None)
    depart = (
        timezone.localtime(derniere.date).date() if derniere else (contrat.date_signature or today)
    )
    return Proposition(
        derniere=derniere,
        prochaine=prochaine,
        debut=_add_months(depart, INTERVALLE_MOIS[0]),
        fin=_add_months(depart, INTERVALLE_MOIS[1]),
    )


def decisions_reportees(reunion: Reunion):
    """Décisions encore ouvertes prises lors des réunions précédentes du contrat, avec leur
    point ; la réunion du point est à prendre parmi celles du contrat que l'appelant a lues
    (`reunions_avec_rang`), plutôt que relue ici avec chaque décision."""
    return Decision.objects.ouvertes().anterieures_a(reunion).select_related("point")


def ordre_du_jour_court(reunion: Reunion) -> list[PointOrdreDuJour]:
    """Les points de l'ordre du jour avec ce que la page de la réunion montre de leur fiche
    (numéro, titre, « à impact ») : pas les textes de la fiche, longs, lus pour rien."""
    return list(
        reunion.points.select_related("fiche")
        .only(
            "reunion",
            "fiche__contrat",
            "fiche__numero",
            "fiche__numero_texte",
            "fiche__titre",
            "fiche__a_impact",
            "ordre",
            "reporte",
            "duree_minutes",
        )
        .order_by("ordre", "fiche__numero")
    )


def fiches_ordre_du_jour(reunion: Reunion, selection=()) -> list[FicheAction]:
    """Fiches choisies selon le mode de la réunion (sans les fiches reportées).

    En mode « sélection », une sélection vide ou une fiche d'un autre contrat est refusée
    (ValidationError) plutôt qu'ignorée : l'ordre du jour ne sort jamais vide ou amputé
    sans que personne ne le sache."""
    fiches = FicheAction.objects.filter(contrat_id=reunion.contrat_id)
    if reunion.ordre_du_jour == Reunion.OrdreDuJour.A_IMPACT:
        fiches = fiches.filter(a_impact=True)
    elif reunion.ordre_du_jour == Reunion.OrdreDuJour.SELECTION:
        wanted = {getattr(f, "pk", f) for f in selection}
        if not wanted:
            raise ValidationError(
                "Choisissez au moins une fiche, ou choisissez un autre ordre du jour."
            )
        fiches = list(fiches.filter(pk__in=wanted).order_by("numero"))
        if len(fiches) != len(wanted):
            raise ValidationError("Une fiche choisie n'appartient pas à ce contrat.")
        return fiches
    return list(fiches.order_by("numero"))


def reunions_rangs(reunions, connues=()) -> None:
    """Pose en une requête le rang dans l'année (« 2026 – réunion 2 ») et le numéro dans le
    contrat de quelques réunions déjà chargées (celles d'une liste, d'un historique), pour
    que `Reunion.rang` n'en fasse pas une par réunion. Règle : `ReunionQuerySet.avec_rang`,
    calculée sur toutes les réunions de leurs contrats. Une réunion parmi `connues` (lues
    avec leur rang, `reunions_avec_rang`) prend le sien sans requête."""
    known = {r.pk: (r._rang, r._numero) for r in connues}
    reste = []
    for reunion in reunions:
        if reunion is None:
            continue
        if reunion.pk in known:
            reunion._rang, reunion._numero = known[reunion.pk]
        else:
            reste.append(reunion)
    if not reste:
        return
    rangs = Reunion.objects.filter(contrat_id__in={r.contrat_id for r in reste}).rangs()
    for reunion in reste:
        if reunion.pk in rangs:
            reunion._rang, reunion._numero = rangs[reunion.pk]


def reunions_avec_rang(contrat: Contrat) -> list[Reunion]:
    """Toutes les réunions du contrat, rang et numéro posés (`avec_rang`), en une requête :
    une page qui lit une réunion, des rangs et la réunion précédente n'en fait pas trois."""
    reunions = list(Reunion.objects.filter(contrat=contrat).avec_rang().order_by("date", "pk"))
    for reunion in reunions:
        reunion.contrat = contrat
    return reunions


def reunion_precedente(reunion: Reunion, reunions) -> Reunion | None:
    """La dernière réunion du contrat avant celle-ci (hors réunions annulées), parmi
    `reunions`, toutes celles du contrat (`reunions_avec_rang`)."""
    avant = [
        r
        for r in reunions
        if r.pk != reunion.pk and r.statut != Reunion.Statut.ANNULEE and r.date < reunion.date
    ]
    return max(avant, key=lambda r: (r.date, r.pk), default=None)


def institutions_validatrices(reunion: Reunion):
    """Institutions dont un pilote doit valider le compte rendu (une voix par institution)."""
    return (
        Institution.objects.filter(
            membres__habilitations__contrat_id=reunion.contrat_id,
            membres__habilitations__role=Habilitation.Role.PILOTE,
        )
        .distinct()
        .order_by("nom")
    )


def comptes_rendus_a_valider(user, today: datetime.date | None = None):
    """Comptes rendus en validation qui attendent l'avis de l'institution de ce pilote
    (rubrique de « Mes tâches » et des rappels)."""
    if not user.institution_id:
        return Reunion.objects.none()
    pilote_de = Habilitation.objects.filter(user=user, role=Habilitation.Role.PILOTE).values(
        "contrat"
    )
    return (
        Reunion.objects.filter(statut=Reunion.Statut.EN_VALIDATION, contrat__in=pilote_de)
        .exclude(validations__institution_id=user.institution_id)
        .select_related("contrat__departement")
        .order_by("date")
    )


def comptes_rendus_a_reprendre(user, today: datetime.date | None = None):
    """Comptes rendus renvoyés en préparation par une demande de modifications, pour les
    pilotes du contrat (rubrique de « Mes tâches » et des rappels) : la tâche naît de la
    demande et disparaît quand le compte rendu est soumis de nouveau (le nouveau tour de
    validation efface les avis). Chaque réunion porte `demandes`, les avis à intégrer."""
    pilote_de = Habilitation.objects.filter(user=user, role=Habilitation.Role.PILOTE).values(
        "contrat"
    )
    remarques = ValidationCompteRendu.objects.filter(
        avis=ValidationCompteRendu.Avis.REMARQUES
    ).select_related("institution", "user")
    return (
        Reunion.objects.filter(
            statut=Reunion.Statut.TENUE,
            contrat__in=pilote_de,
            pk__in=remarques.values("reunion"),
        )
        .select_related("contrat__departement")
        .prefetch_related(Prefetch("validations", queryset=remarques, to_attr="demandes"))
        .order_by("date")
    )


def revisions_reunions_rangs(revisions) -> None:
    """Titre « 2026 – réunion 2 » des réunions dont une décision a modifié ces révisions
    (légende de l'historique d'une fiche) : une requête pour toutes."""
    reunions_rangs(
        [
            d.point.reunion
            for r in revisions
            for d in (getattr(r, "decision", None), getattr(r, "decision_recue", None))
            if d is not None
        ]
    )


# --- Séance projetée -----------------------------------------------------------------


def seance_points(reunion: Reunion) -> list[PointOrdreDuJour]:
    """Les fiches de l'ordre du jour, dans l'ordre de la séance."""
    return list(reunion.points.select_related("fiche").order_by("ordre", "fiche__numero", "pk"))


def seance_fiche(point: PointOrdreDuJour) -> FicheAction:
    """La fiche du point (lue avec lui) et ce que la séance en montre, en un nombre fixe
    de requêtes ; « en retard » tiré de ses étapes, sans relire la fiche."""
    fiche = point.fiche
    prefetch_related_objects(
        [fiche],
        "acteurs",
        "jalons",
        "points_vigilance",
        # Chaque valeur reçoit son indicateur déjà lu (préchargement), sans jointure.
        "indicateurs__valeurs",
        Prefetch(
            "indicateurs__releves",
            queryset=Releve.objects.filter(statut=Releve.Statut.PARTAGE).order_by(
                "date_observation", "pk"
            ),
            to_attr="releves_partages",
        ),
    )
    # Même règle que FicheActionQuerySet.with_retard (jalons_en_retard), sur les étapes lues.
    fiche._en_retard = any(jalon.en_retard for jalon in fiche.jalons.all())
    fiche.contrat = point.reunion.contrat
    return fiche


def fiche_resume(fiche: FicheAction) -> dict:
    """Résumé court pour la projection : retards, indicateurs face à la cible, vigilance."""
    indicateurs = []
    for indicateur in fiche.indicateurs.all():
        valeurs = sorted(
            indicateur.valeurs.all(), key=lambda v: (v.periode_cle, v.created_at, v.pk)
        )
        releves = getattr(indicateur, "releves_partages", [])
        indicateurs.append(
            {
                "indicateur": indicateur,
                "libelle": indicateur.libelle.strip().rstrip(":").strip(),
                "derniere": valeurs[-1] if valeurs else None,
                # Indicateur qualitatif : le dernier relevé partagé tient lieu de valeur.
                "dernier_releve": releves[-1] if releves else None,
            }
        )
    return {
        "jalons_en_retard": [j for j in fiche.jalons.all() if j.en_retard],
        "indicateurs": indicateurs,
        "vigilance": list(fiche.points_vigilance.all()),
    }


def seance_notes(point: PointOrdreDuJour, user) -> dict:
    """Par encart : la note de l'utilisateur (et, si elle attend sa vérification, ses
    passages surlignés) et la version partagée de celles des autres."""
    notes = point.notes.select_related("auteur__institution").order_by("created_at", "pk")
    encarts = {
        value: {"mienne": None, "surligne": "", "autres": []} for value in NoteSeance.Encart.values
    }
    for note in notes:
        slot = encarts[note.encart]
        if note.auteur_id == user.pk:
            slot["mienne"] = note
            if note.en_attente:
                slot["surligne"] = highlight(note.texte, detect(note.texte))
        elif note.texte_partage.strip():
            slot["autres"].append(note)
    return encarts


def point_decisions(point: PointOrdreDuJour):
    """Décisions prises sur cette fiche pendant la réunion, dans l'ordre de saisie."""
    return point.decisions.select_related("appliquee_par", "close_par", "auteur").order_by(
        "created_at", "pk"
    )


def decisions_ouvertes_sur_fiche(point: PointOrdreDuJour):
    """Décisions encore ouvertes prises sur cette fiche lors des réunions précédentes."""
    return (
        Decision.objects.ouvertes()
        .anterieures_a(point.reunion)
        .filter(point__fiche_id=point.fiche_id)
        .select_related("point__reunion", "appliquee_par")
        .order_by("point__reunion__date", "created_at", "pk")
    )


def contrat_fiches_courtes(reunion: Reunion) -> list[FicheAction]:
    """Numéro et titre des fiches du contrat (choix d'une fiche dans une décision)."""
    return list(
        FicheAction.objects.filter(contrat_id=reunion.contrat_id)
        .only("pk", "numero", "numero_texte", "titre")
        .order_by("numero")
    )


# --- Historique des décisions ----------------------------------------------------------

#: Rubrique qui marque, dans l'historique d'une réunion, la trace d'une décision supprimée.
DECISION_SUPPRIMEE = "decision_supprimee"


def decision_historique(decision: Decision) -> list[Revision]:
    """Les écritures d'une décision, la plus récente d'abord (auteur, date, rubriques)."""
    return history.revisions_for_display(Revision.objects.for_object(decision))


def decisions_supprimees(contrat: Contrat, limit: int = 50) -> list[Revision]:
    """Traces des décisions supprimées des réunions du contrat, les plus récentes d'abord."""
    return history.revisions_for_display(
        Revision.objects.filter(
            content_type__app_label="reunions",
            content_type__model="reunion",
            object_id__in=Reunion.objects.filter(contrat=contrat).values("pk"),
            changes__field=DECISION_SUPPRIMEE,
        ).distinct()[:limit]
    )

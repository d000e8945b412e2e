"""Suivi d'un contrat du jeu national, créé en lot : valeurs 2025 et 2026 des indicateurs
quantitatifs, relevés validés avec leur circuit, réunions de suivi (participants, toutes
les fiches à l'ordre du jour, notes de séance, décisions)."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from pilotage.contrats.models import Contrat, Indicateur
from pilotage.reunions.models import (
    Decision,
    NoteSeance,
    Participation,
    PointOrdreDuJour,
    Reunion,
)
from pilotage.suivi.models import Releve, ReleveEtape, ValeurIndicateur

from . import contenu
from .contenu import MARQUE

#: Un département sur ce nombre a une valeur aberrante (un taux au-delà de 100 %) : la
#: comparaison nationale montre ses « valeurs à vérifier ».
ABERRANTE_TOUS_LES = 17


def valeurs_generer(*, contrat: Contrat, fiches, position: int) -> int:
    """Valeurs 2025 et 2026 de chaque indicateur quantitatif ; le même indicateur national
    a la même valeur dans toutes les fiches du contrat (un seul chiffre par département)."""
    rng = contenu.rng_for(contrat.departement.code, "valeurs")
    indicateurs = Indicateur.objects.filter(
        fiche__in=fiches, nature=Indicateur.Nature.QUANTITATIF
    ).order_by("fiche__numero", "ordre")
    par_national: dict[int, tuple[Decimal, Decimal]] = {}
    rows = []
    aberrante = position % ABERRANTE_TOUS_LES == ABERRANTE_TOUS_LES - 1
    for indicateur in indicateurs:
        taux = indicateur.est_taux
        reference = indicateur.valeur_reference or Decimal(50)
        drawn = (
            _drawn(reference, taux, rng)
            if indicateur.indicateur_national_id is None
            else par_national.setdefault(
                indicateur.indicateur_national_id, _drawn(reference, taux, rng)
            )
        )
        for annee, valeur in zip((2025, 2026), drawn, strict=True):
            if aberrante and taux and annee == 2026:
                valeur, aberrante = valeur * 10, False  # une saisie à vérifier
            rows.append(
                ValeurIndicateur(
                    indicateur=indicateur,
                    annee=annee,
                    valeur=valeur,
                    source=f"{MARQUE} comptage du service",
                )
            )
    ValeurIndicateur.objects.bulk_create(rows)
    return len(rows)


def _drawn(reference: Decimal, taux: bool, rng) -> tuple[Decimal, Decimal]:
    first = reference * Decimal(rng.uniform(0.85, 1.15))
    second = first * Decimal(rng.uniform(0.95, 1.25))
    if taux:
        first, second = min(first, Decimal(99)), min(second, Decimal(99))
    return first.quantize(Decimal("0.1")), second.quantize(Decimal("0.1"))


def releves_generer(*, contrat: Contrat, fiches, pilotes: dict) -> int:
    """Trois relevés des premières fiches, relus et validés (le premier partagé), rédigés
    par le pilote du Conseil départemental, relus par celui de la DDETS."""
    auteur, relecteur = pilotes["cd"], pilotes["ddets"]
    qualitatifs = {
        i.fiche_id: i
        for i in Indicateur.objects.filter(fiche__in=fiches, nature=Indicateur.Nature.QUALITATIF)
    }
    releves = []
    for rang, (fiche, (situation, questions, faits)) in enumerate(
        zip(fiches, contenu.RELEVES, strict=False)
    ):
        releves.append(
            Releve(
                fiche=fiche,
                indicateur=qualitatifs[fiche.pk],
                date_observation=datetime.date(2026, 3 + 2 * rang, 10),
                situation=f"{MARQUE} {situation}",
                questions=questions,
                faits=faits,
                statut=Releve.Statut.PARTAGE if rang == 0 else Releve.Statut.VALIDE,
                auteur=auteur,
                institution_id=auteur.institution_id,
            )
        )
    releves = Releve.objects.bulk_create(releves)
    A = ReleveEtape.Action
    etapes = []
    for releve in releves:
        etapes += [
            ReleveEtape(releve=releve, action=A.CREATION, user=auteur),
            ReleveEtape(releve=releve, action=A.RELECTURE, user=relecteur),
            ReleveEtape(releve=releve, action=A.VALIDATION, user=auteur),
        ]
        if releve.statut == Releve.Statut.PARTAGE:
            etapes.append(ReleveEtape(releve=releve, action=A.PARTAGE, user=auteur))
    ReleveEtape.objects.bulk_create(etapes)
    return len(releves)


def _dates(nombre: int, now: datetime.datetime) -> list[datetime.datetime]:
    """Les dates des réunions : deux à venir (dans un et quatre mois), les autres passées,
    réparties depuis avril 2025, à 14 h."""
    futures = [now + datetime.timedelta(days=30), now + datetime.timedelta(days=120)]
    futures = futures[: min(2, nombre)]
    passees = nombre - len(futures)
    start = timezone.make_aware(datetime.datetime(2025, 4, 10, 14))
    span = (now - datetime.timedelta(days=20)) - start
    dates = [start + span * rang / max(passees - 1, 1) for rang in range(passees)]
    return [d.replace(hour=14, minute=0, second=0, microsecond=0) for d in dates + futures]


def reunions_generer(*, contrat: Contrat, fiches, pilotes: dict, nombre: int) -> dict:
    """`nombre` réunions : passées tenues (la dernière au compte rendu en validation),
    deux à venir planifiées ; toutes les fiches à l'ordre du jour ; trois décisions par
    réunion passée (closes sauf celles de la dernière), une note par fiche."""
    now = timezone.now()
    rng = contenu.rng_for(contrat.departement.code, "reunions")
    dates = _dates(nombre, now)
    derniere_passee = max((d for d in dates if d < now), default=None)
    reunions = Reunion.objects.bulk_create(
        Reunion(
            contrat=contrat,
            type=Reunion.Type.COMITE_SUIVI if rang % 2 else Reunion.Type.COMITE_TECHNIQUE,
            date=date,
            lieu=f"{MARQUE} Hôtel du département",
            ordre_du_jour=Reunion.OrdreDuJour.TOUTES,
            statut=(
                Reunion.Statut.PLANIFIEE
                if date > now
                else Reunion.Statut.EN_VALIDATION
                if date == derniere_passee
                else Reunion.Statut.TENUE
            ),
            uid=f"{uuid.uuid4()}@pilotage-partage",
            created_by=pilotes["cd"],
        )
        for rang, date in enumerate(dates)
    )
    Participation.objects.bulk_create(
        Participation(
            reunion=reunion,
            user=pilote,
            institution_id=pilote.institution_id,
            statut=Participation.Statut.PRESENT
            if reunion.date < now
            else Participation.Statut.INVITE,
        )
        for reunion in reunions
        for pilote in pilotes.values()
    )
    points = PointOrdreDuJour.objects.bulk_create(
        PointOrdreDuJour(reunion=reunion, fiche=fiche, ordre=ordre)
        for reunion in reunions
        for ordre, fiche in enumerate(fiches)
    )
    passes = [p for p in points if p.reunion.date < now]
    NoteSeance.objects.bulk_create(
        NoteSeance(
            point=point,
            encart=NoteSeance.Encart.POSITIFS,
            auteur=pilotes["cd"],
            texte=(texte := f"{MARQUE} {rng.choice(contenu.NOTES)}"),
            texte_partage=texte,
        )
        for point in passes
    )
    decisions = _decisions(reunions, points, pilotes, rng, now, derniere_passee)
    return {"reunions": len(reunions), "decisions": decisions}


def _decisions(reunions, points, pilotes, rng, now, derniere_passee) -> int:
    par_reunion: dict[int, list[PointOrdreDuJour]] = {}
    for point in points:
        par_reunion.setdefault(point.reunion_id, []).append(point)
    rows = []
    for reunion in reunions:
        if reunion.date >= now:
            continue
        ouvertes = reunion.date == derniere_passee
        for point in rng.sample(par_reunion[reunion.pk], min(3, len(par_reunion[reunion.pk]))):
            categorie, texte = rng.choice(contenu.DECISIONS)
            rows.append(
                Decision(
                    point=point,
                    categorie=categorie,
                    texte=f"{MARQUE} {texte}",
                    porteur="Conseil départemental",
                    echeance=(reunion.date + datetime.timedelta(days=90)).date(),
                    statut=Decision.Statut.OUVERTE if ouvertes else Decision.Statut.CLOSE,
                    close_le=None
                    if ouvertes
                    else min(reunion.date + datetime.timedelta(days=60), now),
                    close_par=None if ouvertes else pilotes["cd"],
                    auteur=pilotes["cd"],
                )
            )
    Decision.objects.bulk_create(rows)
    return len(rows)

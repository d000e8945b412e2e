"""Fiches actions d'un contrat du jeu national, créées en lot (`bulk_create`) : rubriques,
objectifs du référentiel, acteurs, financements, étapes, indicateurs rattachés aux
indicateurs nationaux, points de vigilance ; une révision de création par fiche, comme
celle qu'écrit `fiche_create` (même instantané, source « Données de démonstration »)."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from pilotage.contrats.models import (
    Acteur,
    Contrat,
    Etat,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    PointVigilance,
)
from pilotage.contrats.services import fiche_snapshot
from pilotage.core.models import Revision, RevisionChange
from pilotage.core.services import diff_snapshots
from pilotage.referentiel.models import IndicateurNational, Objectif
from pilotage.referentiel.unites import Sens, Unite

from . import contenu
from .contenu import MARQUE

#: État des fiches, tiré dans cet ordre de fréquence (une abandonnée de temps en temps).
ETATS = [Etat.EN_COURS] * 6 + [Etat.NON_DEMARREE] * 2 + [Etat.REALISEE, Etat.ABANDONNEE]
FINANCEURS = ["etat", "cd", "ars_fir", "caf", "ondam"]


class Referentiel:
    """Objectifs et indicateurs nationaux de la génération, lus une fois pour tout le jeu."""

    def __init__(self, generation):
        self.objectifs = {o.numero: o for o in Objectif.objects.filter(generation=generation)}
        self.nationaux: dict[int, list[IndicateurNational]] = {}
        for indicateur in IndicateurNational.objects.filter(generation=generation).prefetch_related(
            "objectifs"
        ):
            for objectif in indicateur.objectifs.all():
                self.nationaux.setdefault(objectif.numero, []).append(indicateur)


def _fiche(contrat: Contrat, position: int, rng) -> tuple[FicheAction, tuple[int, ...]]:
    titre, objectifs = contenu.fiche_theme(position)
    etat = rng.choice(ETATS)
    fiche = FicheAction(
        contrat=contrat,
        numero=position + 1,
        titre=f"{MARQUE} {titre}",
        entete_objectifs="Objectifs n°" + " et ".join(map(str, objectifs)),
        departement_libelle=contrat.departement.nom,
        referent="Direction enfance famille (fictive)",
        etat=etat,
        motif_abandon=f"{MARQUE} Action reprise par un dispositif national."
        if etat == Etat.ABANDONNEE
        else "",
        a_impact=rng.random() < 0.3,
        **contenu.textes(titre, contrat.departement.nom),
    )
    return fiche, objectifs


def _jalons(fiche: FicheAction, rng, today: datetime.date) -> list[Jalon]:
    jalons = []
    start = datetime.date(2025, 3, 1)
    for ordre, libelle in enumerate(rng.sample(contenu.ETAPES, 3)):
        prevue = start + datetime.timedelta(days=rng.randint(0, 900))
        done = prevue < today and (fiche.etat == Etat.REALISEE or rng.random() < 0.6)
        jalons.append(
            Jalon(
                fiche=fiche,
                libelle=libelle,
                periode=str(prevue.year),
                date_prevue=prevue,
                date_realisation=prevue + datetime.timedelta(days=rng.randint(0, 30))
                if done
                else None,
                ordre=ordre,
            )
        )
    return jalons


def _financements(fiche: FicheAction, rng) -> list[Financement]:
    return [
        Financement(
            fiche=fiche,
            financeur=financeur,
            montant=Decimal(rng.randrange(10, 160)) * 1000,
            annee=rng.choice([None, 2025, 2026, 2027]),
            valorisation=financeur == "cd" and rng.random() < 0.3,
            ordre=ordre,
        )
        for ordre, financeur in enumerate(["etat", *rng.sample(FINANCEURS[1:], rng.randint(1, 2))])
    ]


def _indicateurs(fiche, objectifs, referentiel: Referentiel, rng) -> list[Indicateur]:
    """Les indicateurs nationaux des objectifs de la fiche (deux au plus), sinon un
    indicateur du département ; puis un indicateur qualitatif (celui des relevés)."""
    nationaux = [i for numero in objectifs for i in referentiel.nationaux.get(numero, [])][:2]
    rows = []
    for ordre, national in enumerate(nationaux):
        taux = Unite(national.unite).est_taux
        reference = Decimal(rng.randint(20, 70) if taux else rng.randint(5, 300))
        rows.append(
            Indicateur(
                fiche=fiche,
                nature=Indicateur.Nature.QUANTITATIF,
                libelle=national.libelle,
                indicateur_national=national,
                unite=national.unite,
                sens=Sens.HAUSSE,
                valeur_reference=reference,
                annee_reference=2024,
                cible=min(reference + 15, Decimal(100)) if taux else reference * 2,
                ordre=ordre,
            )
        )
    if not rows:
        reference = Decimal(rng.randint(10, 200))
        rows.append(
            Indicateur(
                fiche=fiche,
                nature=Indicateur.Nature.QUANTITATIF,
                libelle="Nombre de bénéficiaires de l'action",
                unite=Unite.NOMBRE,
                sens=Sens.HAUSSE,
                valeur_reference=reference,
                annee_reference=2024,
                cible=reference * 2,
            )
        )
    rows.append(
        Indicateur(
            fiche=fiche,
            nature=Indicateur.Nature.QUALITATIF,
            libelle="Appréciation des familles et des partenaires",
        )
    )
    return rows


def fiches_generer(
    *, contrat: Contrat, nombre: int, referentiel: Referentiel, today: datetime.date
) -> list[FicheAction]:
    """Crée les `nombre` fiches du contrat et leurs listes, en un nombre fixe de requêtes
    (un `bulk_create` par sorte de ligne), et leur révision de création."""
    rng = contenu.rng_for(contrat.departement.code, "fiches")
    drawn = [_fiche(contrat, position, rng) for position in range(nombre)]
    fiches = FicheAction.objects.bulk_create([fiche for fiche, _o in drawn])
    links, lists = [], {model: [] for model in (Acteur, Financement, Jalon, Indicateur)}
    vigilances = []
    for fiche, (_f, objectifs) in zip(fiches, drawn, strict=True):
        Through = FicheAction.objectifs.through
        links += [
            Through(ficheaction_id=fiche.pk, objectif_id=referentiel.objectifs[n].pk)
            for n in objectifs
            if n in referentiel.objectifs
        ]
        lists[Acteur] += [
            Acteur(fiche=fiche, nom=nom, implication=implication, ordre=ordre)
            for ordre, (nom, implication) in enumerate(rng.sample(contenu.ACTEURS, 3))
        ]
        lists[Financement] += _financements(fiche, rng)
        lists[Jalon] += _jalons(fiche, rng, today)
        lists[Indicateur] += _indicateurs(fiche, objectifs, referentiel, rng)
        vigilances += [
            PointVigilance(fiche=fiche, libelle=libelle, ordre=ordre)
            for ordre, libelle in enumerate(rng.sample(contenu.VIGILANCES, 2))
        ]
    FicheAction.objectifs.through.objects.bulk_create(links)
    for model, rows in lists.items():
        model.objects.bulk_create(rows)
    PointVigilance.objects.bulk_create(vigilances)
    _revisions(contrat)
    return list(FicheAction.objects.filter(contrat=contrat).order_by("numero"))


def _revisions(contrat: Contrat) -> None:
    """La révision de création de chaque fiche, avec l'instantané que l'historique montre."""
    fiches = list(
        FicheAction.objects.filter(contrat=contrat).prefetch_related(
            "objectifs",
            "referents",
            "acteurs",
            "financements",
            "jalons",
            "indicateurs",
            "points_vigilance",
        )
    )
    content_type = ContentType.objects.get_for_model(FicheAction)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            object_id=fiche.pk,
            source=Revision.Source.DEMO,
            version=fiche.version,
            comment=f"{MARQUE} Fiche générée pour le jeu de données national.",
        )
        for fiche in fiches
    )
    RevisionChange.objects.bulk_create(
        RevisionChange(
            revision=revision,
            field=change.field,
            label=change.label,
            old_value=change.old_value,
            new_value=change.new_value,
        )
        for fiche, revision in zip(fiches, revisions, strict=True)
        for change in diff_snapshots({}, fiche_snapshot(fiche))
    )

"""Données des vues régionale et nationale : un contrat signé d'un département avec des
fiches dans des états donnés, des fiches en retard ou « à impact », des réunions passées
ou à venir, des décisions ouvertes et un rapport d'exécution (données de test inventées)."""

import datetime

import pytest
from django.utils import timezone

from pilotage.comptes.models import User
from pilotage.contrats.models import Etat, FicheAction, Jalon
from pilotage.rapports.models import RapportExecution
from pilotage.reunions.models import Decision, PointOrdreDuJour, Reunion
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_fiche, make_reunion


@pytest.fixture
def national():
    return UserFactory(perimetre=User.Perimetre.NATIONAL)


@pytest.fixture
def regional_na():
    """Périmètre régional de Nouvelle-Aquitaine (Creuse, Corrèze…)."""
    region = Departement.objects.get(code="23").region
    return UserFactory(perimetre=User.Perimetre.REGIONAL, region=region)


def _days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


@pytest.fixture
def contrat_suivi():
    """Fabrique : `contrat_suivi("23", etats=[...], retard=1, impact=1, derniere=-30,
    prochaine=20, decisions=2, rapport="valide")` ; les jours sont comptés depuis
    aujourd'hui (négatifs : passés)."""

    def _make(
        code,
        *,
        etats=(Etat.EN_COURS,),
        retard=0,
        impact=0,
        derniere=None,
        prochaine=None,
        annulee=None,
        decisions=0,
        rapport=None,
    ):
        contrat = ContratFactory(
            departement=Departement.objects.get(code=code), date_signature=datetime.date(2025, 3, 1)
        )
        pilote = UserFactory()
        grant(pilote, contrat)
        fiches = [make_fiche(contrat, numero=n, objectifs=(1, 8)) for n in range(1, len(etats) + 1)]
        for fiche, etat in zip(fiches, etats, strict=True):
            FicheAction.objects.filter(pk=fiche.pk).update(etat=etat)
        Jalon.objects.filter(fiche__contrat=contrat).update(
            date_prevue=timezone.localdate() + datetime.timedelta(days=60)
        )
        for fiche in fiches[:retard]:
            Jalon.objects.filter(fiche=fiche).update(
                date_prevue=timezone.localdate() - datetime.timedelta(days=10)
            )
        for fiche in fiches[:impact]:
            FicheAction.objects.filter(pk=fiche.pk).update(a_impact=True)
        for days, statut in ((derniere, Reunion.Statut.TENUE), (annulee, Reunion.Statut.ANNULEE)):
            if days is not None:
                reunion = make_reunion(contrat, pilote, _days(1))
                Reunion.objects.filter(pk=reunion.pk).update(date=_days(days), statut=statut)
        if prochaine is not None:
            make_reunion(contrat, pilote, _days(prochaine))
        if decisions:
            reunion = Reunion.objects.filter(contrat=contrat).first() or make_reunion(
                contrat, pilote, _days(5)
            )
            point = PointOrdreDuJour.objects.filter(reunion=reunion).first()
            for n in range(decisions + 1):
                Decision.objects.create(
                    point=point,
                    categorie=Decision.Categorie.AUTRE,
                    texte=f"Décision de test {n}",
                    # La dernière est close : elle ne compte pas.
                    statut=Decision.Statut.CLOSE if n == decisions else Decision.Statut.OUVERTE,
                )
        if rapport is not None:
            RapportExecution.objects.create(contrat=contrat, annee=2024, statut="arrete")
            RapportExecution.objects.create(contrat=contrat, annee=2025, statut=rapport)
        return contrat

    return _make

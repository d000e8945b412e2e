"""Aides des tests des services des réunions : lecture de l'ordre du jour, décision
consignée par le service, état d'une fiche ou d'une décision avant et après."""

from pilotage.contrats.models import FicheAction
from pilotage.contrats.services import fiche_snapshot
from pilotage.core.models import Revision
from pilotage.reunions.models import Decision, PointOrdreDuJour
from tests.factories import DecisionFactory


def messages(exc_info) -> str:
    """Tous les messages d'une ValidationError, mis bout à bout."""
    return " ".join(exc_info.value.messages)


def numeros(points) -> list[int]:
    return sorted(p.fiche.numero for p in points)


def point_of(reunion, numero) -> PointOrdreDuJour:
    return reunion.points.get(fiche__numero=numero)


def decide(reunion, numero, categorie, changement=None, *, auteur, texte="Décision de test"):
    return DecisionFactory(
        point=point_of(reunion, numero),
        auteur=auteur,
        categorie=categorie,
        texte=texte,
        changement=changement or {},
    )


def fiche(numero, contrat) -> FicheAction:
    return FicheAction.objects.get(contrat=contrat, numero=numero)


def state(numero, contrat):
    """Ce qui pourrait changer : rubriques lisibles de la fiche, version, historique."""
    current = fiche(numero, contrat)
    return (
        fiche_snapshot(current),
        current.version,
        list(Revision.objects.for_object(current).values_list("pk", flat=True)),
    )


def decision_state(decision):
    decision = Decision.objects.get(pk=decision.pk)
    return (decision.revision_id, decision.appliquee_le, decision.appliquee_par_id, decision.statut)

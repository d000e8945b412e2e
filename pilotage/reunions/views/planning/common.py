"""Outils partagés des vues de planification : fil d'Ariane, réunions du contrat
chargées en une requête, envoi des invitations avec message d'erreur clair."""

import logging
import smtplib

from django.contrib import messages
from django.db.models import Count
from django.urls import reverse

from pilotage.contrats.models import Contrat

from ... import services
from ...models import Reunion

logger = logging.getLogger(__name__)


ICS_TYPE = "text/calendar; charset=utf-8"


def _breadcrumb(contrat: Contrat, reunion: Reunion | None = None, current: str = "") -> dict:
    links = [{"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)}]
    if reunion is None and not current:
        return {"links": links, "current": "Réunions de suivi"}
    links.append({"url": reverse("reunions:list", args=[contrat.pk]), "title": "Réunions de suivi"})
    if reunion is None:
        return {"links": links, "current": current}
    if current:
        links.append(
            {
                "url": reverse("reunions:detail", args=[contrat.pk, reunion.pk]),
                "title": str(reunion),
            }
        )
    return {"links": links, "current": current or str(reunion)}


def _detail_url(reunion: Reunion) -> str:
    return reverse("reunions:detail", args=[reunion.contrat_id, reunion.pk])


def _all_reunions(contrat: Contrat) -> list[Reunion]:
    """Toutes les réunions du contrat en une requête, rang dans l'année compris."""
    reunions = list(
        contrat.reunions.select_related("created_by")
        .annotate(nb_fiches=Count("points"))
        .avec_rang()
        .order_by("date", "pk")
    )
    for reunion in reunions:
        reunion.contrat = contrat
    return reunions


def _send(request, reunion: Reunion) -> int | None:
    """Envoie les invitations (ou l'annulation) ; None et un message clair si le serveur
    de courriel échoue."""
    try:
        return services.invitations_send(
            reunion=reunion, user=request.user, base_url=request.build_absolute_uri("/")
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Envoi des invitations impossible pour la réunion %s", reunion.pk)
        messages.error(
            request,
            "Le serveur de courriel n'a pas répondu : aucune invitation n'est marquée comme "
            "envoyée. Réessayez dans quelques minutes.",
        )
        return None

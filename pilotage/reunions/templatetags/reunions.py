"""Gabarits des réunions : bloc « Réunions de suivi » de la page du contrat, encart de
la prochaine réunion à prévoir.

Le bloc est une inclusion (`{% load reunions %}{% bloc_reunions contrat %}`) : l'application
des contrats n'importe rien des réunions. Il coûte une requête (les réunions du contrat,
avec leur rang), plus une quand le contrat a des réunions (les cinq décisions ouvertes les
plus anciennes, avec le nombre de toutes), quel que soit le nombre de fiches, de réunions
ou de décisions.
"""

import datetime

from django import template
from django.db.models import Count, Window
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from .. import selectors
from ..models import Decision, Reunion
from ..permissions import can_organise

register = template.Library()

#: Décisions ouvertes montrées sur la page du contrat (les plus anciennes d'abord).
DECISIONS_SUR_CONTRAT = 5

#: Ce que le bloc lit des réunions (prochaine, dernière tenue, titre) et des décisions
#: (tableau des plus anciennes) : ni ordre du jour ni comptes rendus.
COLONNES_REUNION = ("contrat", "type", "date", "lieu", "statut")
COLONNES_DECISION = (
    *("categorie", "texte", "porteur", "echeance", "statut"),
    *("point__reunion", "point__fiche", "point__fiche__numero", "point__fiche__numero_texte"),
)


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


@register.simple_tag
def proposition_alerte(proposition, contrat, heading_tag="h3") -> dict:
    """L'encart DSFR de la prochaine réunion : une information quand une réunion est
    planifiée, un avertissement sinon, une erreur quand la fenêtre est dépassée.
    `heading_tag` : le niveau de titre qui suit celui de la page où il est placé."""
    if proposition.derniere is not None:
        depuis = f"la réunion du {_day(proposition.derniere.date)}"
    elif contrat.date_signature:
        depuis = f"la signature du contrat, le {_day(contrat.date_signature)}"
    else:
        depuis = "aujourd'hui"
    fenetre = (
        f"Prochaine réunion à prévoir entre le {_day(proposition.debut)} et le "
        f"{_day(proposition.fin)} (6 à 8 mois après {depuis})."
    )
    if proposition.prochaine is not None:
        prochaine = proposition.prochaine
        local = timezone.localtime(prochaine.date)
        return {
            "type": "info",
            "title": "Prochaine réunion de suivi",
            "content": format_html(
                "{} le {} à {}{}.",
                prochaine.get_type_display(),
                date_format(local, "l j F Y"),
                date_format(local, "G \\h i"),
                f", {prochaine.lieu}" if prochaine.lieu else "",
            ),
            "extra_classes": "fr-mb-3w",
            "heading_tag": heading_tag,
        }
    if proposition.en_retard:
        return {
            "type": "error",
            "title": "Aucune réunion de suivi n'est planifiée, et la date conseillée est dépassée",
            "content": fenetre.replace("à prévoir", "qui était à prévoir"),
            "extra_classes": "fr-mb-3w",
            "heading_tag": heading_tag,
        }
    return {
        "type": "warning",
        "title": "Aucune réunion de suivi n'est planifiée",
        "content": fenetre,
        "extra_classes": "fr-mb-3w",
        "heading_tag": heading_tag,
    }


@register.inclusion_tag("reunions/includes/bloc_contrat.html", takes_context=True)
def bloc_reunions(context, contrat):
    """Bloc « Réunions de suivi » de la page du contrat : prochaine réunion (ou alerte et
    fenêtre proposée), décisions ouvertes (nombre et les plus anciennes), liens."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Le nombre des décisions ouvertes vient avec les plus anciennes (fenêtre sur toutes,
    # avant la limite), non d'un décompte groupé sur les réunions : un GROUP BY autour
    # des fenêtres du rang coûtait à construire autant que la lecture des réunions.
    reunions = list(
        Reunion.objects.filter(contrat_id=contrat.pk)
        .only(*COLONNES_REUNION)
        .avec_rang()
        .order_by("date", "pk")
    )
    for reunion in reunions:
        reunion.contrat = contrat
    by_pk = {r.pk: r for r in reunions}
    decisions = []
    if reunions:  # sans réunion, ni point à l'ordre du jour ni décision
        decisions = list(
            Decision.objects.ouvertes()
            .filter(point__reunion__contrat_id=contrat.pk)
            .select_related("point__fiche")
            .only(*COLONNES_DECISION)
            .annotate(nb_ouvertes=Window(Count("pk")))
            .order_by("point__reunion__date", "created_at", "pk")[:DECISIONS_SUR_CONTRAT]
        )
    nb_decisions = decisions[0].nb_ouvertes if decisions else 0
    for decision in decisions:
        decision.point.reunion = by_pk[decision.point.reunion_id]
        decision.point.fiche.contrat = contrat
    return {
        "contrat": contrat,
        "proposition": selectors.prochaine_reunion(contrat, reunions=reunions),
        "nb_reunions": sum(1 for r in reunions if r.statut != Reunion.Statut.ANNULEE),
        "decisions": decisions,
        "nb_decisions": nb_decisions,
        "peut_organiser": user is not None and can_organise(user, contrat),
    }

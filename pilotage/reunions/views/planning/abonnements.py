"""Adresses d'abonnement aux flux d'agenda : « Mes abonnements d'agenda » (les adresses
actives de la personne, pour tous ses contrats), création ou renouvellement (l'adresse
n'est montrée qu'une fois, sur la réponse, jamais mise en cache), révocation."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pilotage.contrats.permissions import get_contrat_for

from ... import services
from ...jetons import JetonFlux
from .common import _breadcrumb


def jeton_actif(user, contrat) -> JetonFlux | None:
    """L'adresse d'abonnement active de `user` pour le contrat (montrée sans son jeton)."""
    return JetonFlux.objects.actifs().filter(user=user, contrat=contrat).first()


@require_GET
def abonnements(request):
    jetons = list(
        JetonFlux.objects.actifs()
        .filter(user=request.user)
        .select_related("contrat__departement", "contrat__generation")
    )
    now = timezone.now()
    for jeton in jetons:
        jeton.motif_invalide = jeton.invalidite(now)
    return render(
        request,
        "reunions/abonnements.html",
        {"title": "Mes abonnements d'agenda", "jetons": jetons},
    )


@never_cache
@require_POST
def abonnement_create(request, pk):
    """Crée (ou renouvelle : l'ancienne adresse cesse aussitôt de fonctionner) l'adresse
    d'abonnement de la personne au contrat, et la montre une seule fois."""
    contrat = get_contrat_for(request.user, pk)
    renouvelee = jeton_actif(request.user, contrat) is not None
    _enregistre, jeton = services.jeton_flux_create(user=request.user, contrat=contrat)
    return render(
        request,
        "reunions/abonnement_cree.html",
        {
            "title": "Votre adresse d'abonnement",
            "contrat": contrat,
            "renouvelee": renouvelee,
            "flux_url": request.build_absolute_uri(reverse("reunions:flux_ics", args=[jeton])),
            "breadcrumb_data": _breadcrumb(contrat, current="Adresse d'abonnement"),
        },
    )


@require_POST
def abonnement_revoke(request, jeton_pk):
    jeton = get_object_or_404(JetonFlux.objects.filter(user=request.user), pk=jeton_pk)
    services.jeton_flux_revoke(jeton=jeton, user=request.user)
    messages.success(
        request,
        f"L'adresse d'abonnement au contrat {jeton.contrat} est révoquée : "
        "votre agenda ne la lira plus.",
    )
    return redirect("reunions:abonnements")

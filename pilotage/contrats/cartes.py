"""Ce que chaque contrat d'une longue liste porte (cartes de la page d'accueil ; lien
des vues régionale et nationale), calculé une fois par page et non une fois par ligne :
le niveau national voit 101 contrats, et un `{% url %}` ou un badge par ligne coûtait
autant que le reste de la ligne. Même HTML que les balises qu'il remplace."""

from collections.abc import Iterable

from django.template.loader import render_to_string
from dsfr.templatetags.dsfr_tags import dsfr_badge

from pilotage.core.templatetags.composants import badge

from .adresses import adresses
from .models import Contrat


def cartes(contrats: Iterable[Contrat]) -> list[Contrat]:
    """Les contrats, chacun avec `adresse`, `badge_statut` (le `{% badge %}` de son état,
    rendu une fois par état) et `badge_fictif` (le badge « Données fictives », rendu une
    fois, vide pour un contrat réel)."""
    adresse = adresses("contrats:contrat")
    fictif = render_to_string(
        "dsfr/badge.html",
        dsfr_badge(
            label="Données fictives",
            extra_classes="fr-badge--warning fr-badge--sm fr-badge--no-icon",
        ),
    )
    par_statut: dict[str, str] = {}
    contrats = list(contrats)
    for contrat in contrats:
        if contrat.statut not in par_statut:
            par_statut[contrat.statut] = render_to_string(
                "core/composants/badge.html",
                badge(contrat.get_statut_display(), of="contrat", state=contrat.statut),
            )
        contrat.adresse = adresse(contrat.pk)
        contrat.badge_statut = par_statut[contrat.statut]
        contrat.badge_fictif = fictif if contrat.donnees_fictives else ""
    return contrats

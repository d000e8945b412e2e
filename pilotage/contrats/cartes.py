"""Ce que chaque contrat d'une longue liste porte (cartes de la page d'accueil ; lien
des vues régionale et nationale), calculé une fois par page et non une fois par ligne :
le niveau national voit 101 contrats, et un `{% url %}` ou un badge par ligne coûtait
autant que le reste de la ligne. Même HTML que les balises qu'il remplace."""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from dsfr.templatetags.dsfr_tags import dsfr_badge

from pilotage.core.templatetags.composants import badge

from .models import Contrat

#: Un numéro qu'aucune adresse ne contient par ailleurs : sa place dans l'adresse
#: construite une fois est celle du numéro de chaque objet.
_REPERE = 987654321


def adresses(nom: str) -> Callable[[int], str]:
    """`adresse = adresses("contrats:contrat")`, puis `adresse(pk)` : l'adresse de cette
    page (un seul argument, un entier) pour chaque objet, tirée d'un seul `reverse`."""
    avant, repere, apres = reverse(nom, args=[_REPERE]).partition(str(_REPERE))
    if not repere:
        raise ImproperlyConfigured(f"« {nom} » ne prend pas un numéro.")
    return lambda pk: f"{avant}{pk}{apres}"


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


#: Les pages d'une fiche (onglets, modification, exports), chacune sous l'adresse de la
#: fiche : clé → (nom de la vue, ce qui suit l'adresse de la fiche).
#: tests/contrats/test_cartes.py vérifie chacune contre `reverse`.
PAGES_DE_LA_FICHE = {
    "indicateurs": ("suivi:indicateurs", "indicateurs/"),
    "releves": ("suivi:releves", "releves/"),
    "collecte": ("suivi:collecte", "collecte/"),
    "calendrier": ("reunions:fiche_calendrier", "calendrier/"),
    "historique": ("contrats:fiche_historique", "historique/"),
    "modifier": ("contrats:fiche_edit", "modifier/"),
    "docx": ("documents:fiche_export", "export.docx"),
    "odt": ("documents:fiche_export", "export.odt"),
    "pdf": ("documents:fiche_export", "export.pdf"),
}


def adresses_de_la_fiche(contrat_pk: int, numero: int) -> dict[str, str]:
    """L'adresse de la fiche (« fiche ») et celles de ses pages (`PAGES_DE_LA_FICHE`),
    tirées d'un seul `reverse` : les onglets de chaque page d'une fiche en demandaient dix."""
    fiche = reverse("contrats:fiche", args=[contrat_pk, numero])
    return {"fiche": fiche} | {cle: fiche + suite for cle, (_, suite) in PAGES_DE_LA_FICHE.items()}

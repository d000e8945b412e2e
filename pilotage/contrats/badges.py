"""Badge d'état d'une fiche (`contrats/includes/etat_badge.html`) sur une page qui en
liste plusieurs (liste du contrat, dossier de préparation d'une réunion) : rendu une fois
par état, retard et impact distincts plutôt qu'une fois par fiche (issue 15). Le même
HTML que le gabarit rendu pour chaque fiche."""

from collections.abc import Callable, Iterable

from django.template.loader import render_to_string

from .models import FicheAction


def badges_d_etat() -> Callable[[FicheAction], str]:
    """`badge = badges_d_etat()`, puis `badge(fiche)` : le badge d'état de la fiche (lue
    avec `en_retard`), rendu à la première fiche de chaque état, retard et impact et
    repris pour les suivantes de la page."""
    rendus: dict[tuple, str] = {}

    def badge(fiche: FicheAction) -> str:
        cle = (fiche.etat, fiche.en_retard, fiche.a_impact)
        if cle not in rendus:
            rendus[cle] = render_to_string("contrats/includes/etat_badge.html", {"fiche": fiche})
        return rendus[cle]

    return badge


def etat_badges(fiches: Iterable[FicheAction]) -> None:
    """Pose sur chaque fiche `etat_badge`, son badge d'état (`badges_d_etat`)."""
    badge = badges_d_etat()
    for fiche in fiches:
        fiche.etat_badge = badge(fiche)

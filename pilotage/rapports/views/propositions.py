"""« Reprendre la proposition » d'une section modifiée : confirmation à la place de la
section (GET `?reprendre=1` sur l'adresse de la section), puis POST ici. Page entière
sans JavaScript, fragment HTMX sinon."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.views.decorators.http import require_POST

from .. import selectors, services


@require_POST
def reprendre(request, pk, annee, rubrique, numero):
    from . import _get_rapport, _reprise, _respond, _target

    rapport = _get_rapport(request, pk, annee)
    fiche, _source = _target(rapport, rubrique, numero, "")
    if "rediger" not in rapport.actions_possibles(request.user):
        raise PermissionDenied(
            "Seuls les pilotes du Conseil départemental rédigent le rapport, tant qu'il "
            "n'est ni validé ni arrêté."
        )
    try:
        services.section_reprendre_proposition(
            rapport=rapport, user=request.user, rubrique=rubrique, fiche=fiche
        )
    except ValidationError as exc:
        vue = selectors.section_vue(rapport, rubrique, fiche=fiche)
        return _reprise(request, rapport, vue, status=400, erreur=" ".join(exc.messages))
    vue = selectors.section_vue(rapport, rubrique, fiche=fiche)
    return _respond(request, rapport, vue, annonce=f"{vue.libelle} : proposition reprise.")

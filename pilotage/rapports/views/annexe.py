"""Montants exécutés de l'annexe financière, saisis sur la page du rapport : même adresse
pour la page entière (sans JavaScript : formulaire à sa place, erreurs en place) et pour
le fragment HTMX (la rubrique « Annexe financière » seule)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import MontantsExecutesForm

REFUS = (
    "Seuls les pilotes du Conseil départemental saisissent les montants exécutés, tant que "
    "le rapport n'est ni validé ni arrêté."
)


def _fragment(request, rapport, *, form, contenu, status=200, annonce=""):
    context = {
        "contrat": rapport.contrat,
        "rapport": rapport,
        "contenu": contenu,
        "executes_form": form,
        "annonce": annonce,
    }
    return render(request, "rapports/includes/annexe.html", context, status=status)


def _contenu(rapport):
    contenu = selectors.contenu_du_rapport(rapport)
    if contenu is None:
        raise Http404("Contenu du rapport indisponible.")
    return contenu


@require_http_methods(["GET", "POST"])
def executes(request, pk, annee):
    """GET : retour à l'annexe de la page (ou la rubrique seule en HTMX). POST : enregistre
    les montants exécutés de l'année (`services.montants_executes_save`)."""
    from . import _get_rapport, _page, _rapport_url

    rapport = _get_rapport(request, pk, annee)
    peut = "rediger" in rapport.actions_possibles(request.user)
    if request.method == "GET":
        if not request.htmx:
            return redirect(_rapport_url(rapport, "annexe"))
        contenu = _contenu(rapport)
        form = MontantsExecutesForm(lignes=contenu.annexe_financiere.lignes) if peut else None
        return _fragment(request, rapport, form=form, contenu=contenu)
    if not peut:
        raise PermissionDenied(REFUS)
    contenu = _contenu(rapport)
    form = MontantsExecutesForm(request.POST, lignes=contenu.annexe_financiere.lignes)
    if form.is_valid():
        try:
            services.montants_executes_save(
                rapport=rapport, user=request.user, montants=form.montants()
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            annonce = "Montants exécutés enregistrés."
            if not request.htmx:
                messages.success(request, annonce)
                return redirect(_rapport_url(rapport, "annexe"))
            contenu = _contenu(rapport)
            form = MontantsExecutesForm(lignes=contenu.annexe_financiere.lignes)
            return _fragment(request, rapport, form=form, contenu=contenu, annonce=annonce)
    if request.htmx:
        return _fragment(request, rapport, form=form, contenu=contenu, status=400)
    return _page(request, rapport, status=400, executes_form=form)

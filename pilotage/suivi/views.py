"""Onglet « Indicateurs » d'une fiche : valeurs datées, graphique, incohérences, saisie."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from pilotage.contrats import permissions
from pilotage.contrats.models import Indicateur
from pilotage.contrats.views import breadcrumb
from pilotage.core.ratelimit import exports_limited
from pilotage.core.requests import malformed_pk_response, posted_pk
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from . import services
from .checks import inconsistencies
from .forms import ValeurForm
from .models import ValeurIndicateur, latest_per_period


def _indicateurs(fiche):
    return list(
        fiche.indicateurs.filter(nature=Indicateur.Nature.QUANTITATIF)
        .select_related("indicateur_national")
        .prefetch_related(
            Prefetch("valeurs", queryset=ValeurIndicateur.objects.select_related("user"))
        )
    )


def _blocks(indicateurs, forms=None):
    blocks = []
    for indicateur in indicateurs:
        valeurs = list(indicateur.valeurs.all())
        flags = inconsistencies(valeurs)
        latest = latest_per_period(valeurs)
        blocks.append(
            {
                "indicateur": indicateur,
                "progression": indicateur.progression(latest[-1].valeur_principale)
                if latest
                else "",
                "valeurs": [(v, flags.get(v.pk, [])) for v in valeurs],
                "nb_alertes": sum(1 for v in valeurs if flags.get(v.pk)),
                "form": (forms or {}).get(indicateur.pk)
                or ValeurForm(indicateur=indicateur, prefix=f"i{indicateur.pk}"),
            }
        )
    return blocks


def _valeur_saisie(request, fiche, can_record):
    """Une valeur envoyée (POST ; le droit de saisir : vérifié par `valeur_create`).

    Rend `(réponse, formulaires, statut)` : la réponse quand elle est toute faite
    (requête malformée, redirection, bloc HTMX), sinon `None` et, pour la page entière,
    le formulaire refusé et le statut 400."""
    indicateur_pk = posted_pk(request.POST, "indicateur")
    if indicateur_pk is None:
        return malformed_pk_response(request, "l'indicateur"), {}, 200
    indicateur = get_object_or_404(Indicateur, pk=indicateur_pk, fiche=fiche, nature="quantitatif")
    form = ValeurForm(request.POST, indicateur=indicateur, prefix=f"i{indicateur.pk}")
    forms, status = {}, 200
    if form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
            services.valeur_create(
                indicateur=indicateur,
                user=request.user,
                confirmations=form.personal_data_confirmed,
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, "La valeur a été enregistrée.")
                return (
                    redirect(
                        reverse("suivi:indicateurs", args=[fiche.contrat_id, fiche.numero])
                        + f"#indicateur-{indicateur.pk}"
                    ),
                    {},
                    200,
                )
            form = None
    if form is not None:
        forms[indicateur.pk] = form
        status = 400
    if not request.htmx:
        return None, forms, status
    [block] = [b for b in _blocks(_indicateurs(fiche), forms) if b["indicateur"] == indicateur]
    context = {
        "block": block,
        "contrat": fiche.contrat,
        "fiche": fiche,
        "peut_saisir": can_record,
        "enregistre": form is None,
    }
    return render(request, "suivi/includes/indicateur_bloc.html", context, status=status), {}, 200


def indicateurs(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    can_record = permissions.can_record_values(request.user, fiche)
    forms = {}
    status = 200
    if request.method == "POST":
        response, forms, status = _valeur_saisie(request, fiche, can_record)
        if response is not None:
            return response
    context = {
        "title": f"Indicateurs de la fiche action n°{fiche.numero_affiche}",
        "contrat": fiche.contrat,
        "fiche": fiche,
        "blocks": _blocks(_indicateurs(fiche), forms),
        "peut_saisir": can_record,
        "peut_modifier": permissions.can_edit_fiche(request.user, fiche),
        "onglet": "indicateurs",
        "breadcrumb_data": breadcrumb(fiche.contrat, fiche, "Indicateurs"),
    }
    return render(request, "suivi/indicateurs.html", context, status=status)


@exports_limited
def indicateurs_export(request, pk, fmt):
    """Téléchargement des valeurs d'indicateurs du contrat (CSV, XLSX, ODS)."""
    from django.http import Http404, HttpResponse

    from .spreadsheets import FORMATS, export_indicateurs

    contrat = permissions.get_contrat_for(request.user, pk)
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(export_indicateurs(contrat, fmt), content_type=content_type)
    filename = f"indicateurs-{contrat.departement.code}-{contrat.generation.code}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    acces_record(
        user=request.user,
        contrat=contrat,
        nature=Acces.Nature.EXPORT,
        objet=f"Export {fmt.upper()} des indicateurs du contrat",
        request=request,
    )
    return response

"""Indicateurs nationaux comparés entre départements : la liste (et le tableau de bord
téléchargeable en un clic), la comparaison d'un indicateur (graphique et tableau), leurs
exports. Niveau national : tous les départements ; niveau régional : ceux de sa région ;
personne d'autre (403, `comparaison.perimetre`)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotage.core.files import ODS, XLSX, attachment
from pilotage.referentiel.models import Generation, IndicateurNational

from . import comparaison as comp
from . import indicateurs_export
from .comparaison_tableau import blocs
from .graphique import graphique

CONTENT_TYPES = {"xlsx": XLSX, "ods": ODS}


def generation_demandee(request) -> Generation:
    """La génération demandée (`?generation=2025-2027`), sinon la plus récente ; 404
    pour un code inconnu."""
    code = request.GET.get("generation", "")[:20]
    if code:
        return get_object_or_404(Generation, code=code)
    generation = comp.generation_courante()
    if generation is None:
        raise Http404("Aucun référentiel.")
    return generation


def _breadcrumb(current: str, indicateurs: bool = False) -> dict:
    links = [{"url": reverse("consolidation:indicateurs"), "title": "Indicateurs nationaux"}]
    return {"links": links if indicateurs else [], "current": current}


def _perimetre_libelle(region) -> str:
    return region.nom if region else "France entière"


@require_GET
def indicateurs(request):
    region = comp.perimetre(request.user)
    generation = generation_demandee(request)
    liste = list(comp.indicateurs_de(generation))
    # Les nombres seuls, sans les rangées des départements que la page ne montre pas.
    syntheses = comp.syntheses_for(liste, user=request.user, region=region)
    return render(
        request,
        "consolidation/indicateurs.html",
        {
            "title": "Indicateurs nationaux comparés",
            "breadcrumb_data": _breadcrumb("Indicateurs nationaux"),
            "generation": generation,
            "generations": Generation.objects.order_by("-code"),
            "perimetre": _perimetre_libelle(region),
            "lignes": [(i, syntheses[i.pk]) for i in liste],
        },
    )


def _indicateur(request, pk):
    region = comp.perimetre(request.user)
    indicateur = get_object_or_404(IndicateurNational.objects.select_related("generation"), pk=pk)
    return (
        region,
        indicateur,
        comp.comparaison_for([indicateur], user=request.user, region=region)[indicateur.pk],
    )


@require_GET
def indicateur(request, pk):
    region, indicateur, comparaison = _indicateur(request, pk)
    return render(
        request,
        "consolidation/indicateur.html",
        {
            "title": f"Comparaison : {indicateur.libelle[:80]}",
            "breadcrumb_data": _breadcrumb(indicateur.libelle[:60] + "…", indicateurs=True),
            "indicateur": indicateur,
            "comparaison": comparaison,
            "blocs": blocs(comparaison),
            "perimetre": _perimetre_libelle(region),
            "graphique": graphique(comparaison),
            "alertes": (comp.ALERTE_TAUX, comp.ALERTE_NEGATIVE, comp.ALERTE_LOIN),
        },
    )


def _download(comparaisons, *, fmt: str, nom: str, title: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu.")
    data = indicateurs_export.workbook(comparaisons, fmt=fmt, title=title)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    return attachment(response, f"{nom}-{timezone.localdate():%Y-%m-%d}.{fmt}")


@require_GET
def indicateur_export(request, pk, fmt):
    _, indicateur, comparaison = _indicateur(request, pk)
    return _download(
        [comparaison], fmt=fmt, nom=f"indicateur-national-{indicateur.pk}", title=indicateur.libelle
    )


@require_GET
def tableau_de_bord(request, fmt):
    """Le « tableau de bord des indicateurs » : tous les indicateurs nationaux de la
    génération, en un classeur (synthèse, par région, valeurs par département)."""
    region = comp.perimetre(request.user)
    generation = generation_demandee(request)
    liste = list(comp.indicateurs_de(generation))
    comparaisons = comp.comparaison_for(liste, user=request.user, region=region)
    return _download(
        [comparaisons[i.pk] for i in liste],
        fmt=fmt,
        nom=f"tableau-de-bord-indicateurs-{generation.code}",
        title=f"Tableau de bord des indicateurs nationaux {generation.code} – "
        f"{_perimetre_libelle(region)}",
    )

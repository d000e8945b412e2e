"""Vue régionale (DREETS, ARS : les contrats de sa région ; le niveau national ouvre
n'importe quelle région) et vue nationale (DGCS : les contrats par région, carte des
départements colorée par une mesure choisie, objectifs), avec leurs exports XLSX/ODS.

Un pilote de département n'y a pas accès (403, `comparaison.perimetre`) ; la région d'un
autre périmètre régional répond 404. Les paramètres GET inconnus ou forgés sont ignorés.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotage.core.files import attachment
from pilotage.territoires.models import Region

from . import carte, selectors, tableau, vues_export
from . import comparaison as comp
from .forms import TRI_DEFAUT, TRIS, ContratsFiltresForm, filtrer, trier
from .indicateurs_views import CONTENT_TYPES, generation_demandee


def _region(request, pk: int) -> Region:
    perimetre = comp.perimetre(request.user)
    region = get_object_or_404(Region, pk=pk)
    if perimetre is not None and perimetre.pk != region.pk:
        raise Http404("Cette région n'est pas dans votre périmètre.")
    return region


def _national(request) -> None:
    if comp.perimetre(request.user) is not None:
        raise PermissionDenied("La vue nationale est réservée au niveau national.")


def _colonnes(request, criteres: dict) -> list[dict]:
    """Les en-têtes triables : lien qui trie par la colonne (ou inverse l'ordre)."""
    tri = criteres.get("tri") or TRI_DEFAUT
    ordre = criteres.get("ordre") or "asc"
    colonnes = []
    for key, (label, _) in TRIS.items():
        params = request.GET.copy()
        params["tri"] = key
        params["ordre"] = "desc" if key == tri and ordre == "asc" else "asc"
        current = key == tri
        colonnes.append(
            {
                "key": key,
                "label": label,
                "url": f"{request.path}?{params.urlencode()}",
                "aria_sort": ("descending" if ordre == "desc" else "ascending") if current else "",
            }
        )
    return colonnes


TABLEAU = "consolidation/includes/contrats_tableau.html"


def _tableau(request, lignes):
    form = ContratsFiltresForm(request.GET or None)
    criteres = form.criteres() if request.GET else {}
    return form, criteres, trier(filtrer(lignes, criteres), criteres)


def _tableau_context(request, criteres, groupes, affichees, lignes, export_args) -> dict:
    """Ce que le tableau des contrats montre (page entière ou fragment HTMX)."""
    name, args = export_args
    return {
        "colonnes": _colonnes(request, criteres),
        "tri": criteres.get("tri") or "",
        "ordre": criteres.get("ordre") or "",
        "groupes": groupes,
        # Rangées écrites une fois en Python (101 au national), pas en gabarit.
        "blocs": tableau.blocs(groupes),
        "nombre": len(affichees),
        "total": len(lignes),
        "export_url": reverse(name, args=[*args, "xlsx"]),
        "export_ods_url": reverse(name, args=[*args, "ods"]),
    }


@require_GET
def region(request, pk):
    region = _region(request, pk)
    generation = generation_demandee(request)
    departements = selectors.departements(region)
    lignes = selectors.lignes_contrats(
        request.user, generation=generation, region=region, departements=departements
    )
    form, criteres, affichees = _tableau(request, lignes)
    groupes = selectors.par_region(affichees, departements, lignes)
    context = _tableau_context(
        request, criteres, groupes, affichees, lignes, ("consolidation:region_export", [region.pk])
    )
    context |= {"caption": "Contrats de la région", "groupe_titres": False}
    if request.htmx:
        return render(request, TABLEAU, context)
    return render(
        request,
        "consolidation/region.html",
        context
        | {
            "title": f"Vue régionale : {region.nom}",
            "breadcrumb_data": {
                "links": [{"url": reverse("consolidation:national"), "title": "Vue nationale"}]
                if request.user.est_national
                else [],
                "current": f"Vue régionale – {region.nom}",
            },
            "region": region,
            "generation": generation,
            "form": form,
        },
    )


def _mesure(request, generation):
    """La mesure choisie pour la carte (inconnue ou forgée : la mesure par défaut)."""
    indicateurs = list(comp.indicateurs_de(generation))
    options = list(carte.MESURES.items()) + [
        (f"{carte.PREFIXE_INDICATEUR}{i.pk}", f"Indicateur : {i.libelle}") for i in indicateurs
    ]
    choix = request.GET.get("mesure", "")[:40]
    if choix not in dict(options):
        choix = carte.MESURE_DEFAUT
    indicateur = next(
        (i for i in indicateurs if f"{carte.PREFIXE_INDICATEUR}{i.pk}" == choix), None
    )
    return choix, dict(options)[choix], options, indicateur


def _carte(request, generation, lignes, departements):
    choix, libelle, options, indicateur = _mesure(request, generation)
    if indicateur is not None:
        comparaison = comp.comparaison_for([indicateur], user=request.user, region=None)
        valeurs, classes = carte.valeurs_indicateur(comparaison[indicateur.pk])
    else:
        valeurs, classes = carte.valeurs_contrats(choix, lignes)
    liens = {ligne.departement.code: ligne.adresse for ligne in lignes}
    geometrie = carte.geometrie(departements, valeurs, liens)
    return {
        "mesure": choix,
        "mesure_libelle": libelle,
        "mesures": options,
        "classes": classes,
        "geometrie": geometrie,
    }


@require_GET
def national(request):
    perimetre = comp.perimetre(request.user)
    if perimetre is not None:
        return redirect("consolidation:region", pk=perimetre.pk)
    generation = generation_demandee(request)
    departements = selectors.departements()
    lignes = selectors.lignes_contrats(
        request.user, generation=generation, region=None, departements=departements
    )
    form, criteres, affichees = _tableau(request, lignes)
    groupes = selectors.par_region(affichees, departements, lignes)
    context = _tableau_context(
        request, criteres, groupes, affichees, lignes, ("consolidation:national_export", [])
    )
    context |= {"caption": "Contrats par région", "groupe_titres": True, "region_url": True}
    if request.htmx:
        return render(request, TABLEAU, context)
    visibles = selectors.contrats_visibles(request.user, generation=generation, region=None)
    objectifs = selectors.objectifs(generation, visibles.values("pk"))
    financeurs = selectors.financeurs()
    return render(
        request,
        "consolidation/national.html",
        context
        | {
            "title": "Vue nationale",
            "breadcrumb_data": {"links": [], "current": "Vue nationale"},
            "generation": generation,
            "form": form,
            "carte": _carte(request, generation, lignes, departements),
            "objectifs": objectifs,
            "financeurs": financeurs,
            "rangees_objectifs": tableau.rangees_objectifs(objectifs, financeurs),
        },
    )


def _download(data: bytes, *, fmt: str, nom: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    return attachment(response, f"{nom}-{timezone.localdate():%Y-%m-%d}.{fmt}")


@require_GET
def region_export(request, pk, fmt):
    region = _region(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu.")
    generation = generation_demandee(request)
    lignes = selectors.lignes_contrats(request.user, generation=generation, region=region)
    _, _, affichees = _tableau(request, lignes)
    title = f"Contrats {generation.code} – {region.nom}"
    data = vues_export.workbook(affichees, fmt=fmt, title=title)
    return _download(data, fmt=fmt, nom=f"contrats-{generation.code}-region-{region.code}")


@require_GET
def national_export(request, fmt):
    _national(request)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu.")
    generation = generation_demandee(request)
    lignes = selectors.lignes_contrats(request.user, generation=generation, region=None)
    _, _, affichees = _tableau(request, lignes)
    objectifs = selectors.objectifs(generation, [li.contrat.pk for li in lignes])
    title = f"Contrats {generation.code} – France entière"
    data = vues_export.workbook(affichees, fmt=fmt, title=title, objectifs=objectifs)
    return _download(data, fmt=fmt, nom=f"contrats-{generation.code}-national")

"""Import de fiches depuis un document : dépôt, aperçu des changements, confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from pilotage.contrats import permissions
from pilotage.contrats.views import breadcrumb
from pilotage.core.files import private_file_response
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from . import depots, lectures, regroupements, services
from .forms import ImportForm, RegroupementsForm, RetraitsForm
from .models import DocumentImporte


def _contrat_for_import(request, pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    if not permissions.can_create_fiche(request.user, contrat):
        raise PermissionDenied("Seuls les pilotes du contrat peuvent importer des fiches.")
    return contrat


def _breadcrumb(contrat, current):
    return breadcrumb(contrat, None, current)


def import_upload(request, pk):
    contrat = _contrat_for_import(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            document = depots.document_deposer(
                contrat=contrat, user=request.user, filename=upload.name, data=upload.read()
            )
        except ValidationError as exc:
            form.add_error("fichier", exc)
        else:
            return redirect("documents:import_preview", contrat.pk, document.pk)
    imports = contrat.imports.select_related("user")[:10]
    return render(
        request,
        "documents/import_form.html",
        {
            "title": "Importer des fiches actions",
            "contrat": contrat,
            "form": form,
            "imports": imports,
            "breadcrumb_data": _breadcrumb(contrat, "Importer des fiches actions"),
        },
        status=400 if request.method == "POST" else 200,
    )


#: États d'un document dont la lecture n'a pas donné d'aperçu : la page d'attente.
ETATS_LECTURE = (
    DocumentImporte.Statut.A_LIRE,
    DocumentImporte.Statut.EN_LECTURE,
    DocumentImporte.Statut.REFUSE,
    DocumentImporte.Statut.ECHEC,
)


def _page_lecture(request, contrat, document):
    """La page d'attente de la lecture en tâche de fond, ou sa rubrique seule (fragment
    HTMX redemandé toutes les deux secondes avec l'état affiché : 204 tant qu'il n'a pas
    changé). Lecture finie : le navigateur recharge la page, qui est devenue l'aperçu."""
    etat = document.etat
    if request.htmx and etat not in ETATS_LECTURE:
        return HttpResponseClientRefresh()
    if request.htmx and request.method == "GET" and request.GET.get("etat") == etat:
        return HttpResponse(status=204)
    template = "documents/import_lecture.html"
    return render(
        request,
        f"{template}#lecture" if request.htmx else template,
        {
            "title": "Lecture du document",
            "contrat": contrat,
            "document": document,
            "etat": etat,
            "breadcrumb_data": _breadcrumb(contrat, "Lecture du document"),
        },
    )


def import_preview(request, pk, document_pk):
    contrat = _contrat_for_import(request, pk)
    document = get_object_or_404(DocumentImporte, contrat=contrat, pk=document_pk)
    if document.etat in ETATS_LECTURE or (request.htmx and "etat" in request.GET):
        if request.method != "GET":  # rien à confirmer avant la fin de la lecture
            return redirect("documents:import_preview", contrat.pk, document.pk)
        return _page_lecture(request, contrat, document)
    if document.statut != DocumentImporte.Statut.ANALYSE:
        messages.info(request, f"Ce document a déjà été traité : {document.get_statut_display()}.")
        return redirect("documents:import_upload", contrat.pk)
    from .importer import ImportErreur

    try:
        result = lectures.lecture_du_document(document)
    except ImportErreur as exc:
        depots.document_abandon(document=document)
        messages.error(request, str(exc))
        return redirect("documents:import_upload", contrat.pk)
    if request.method == "POST" and request.POST.get("action") == "abandonner":
        depots.document_abandon(document=document)
        messages.info(request, "Import abandonné : aucune fiche n'a été modifiée.")
        return redirect("contrats:contrat", contrat.pk)
    # Un POST confirme l'import ; sinon le même calcul, annulé, sert d'aperçu.
    confirmed = request.method == "POST"
    outcome = services.fiches_import(
        contrat=contrat,
        result=result,
        user=request.user,
        filename=document.nom_original,
        dry_run=not confirmed,
        document=document,
        retraits=RetraitsForm.retraits(request.POST) if confirmed else frozenset(),
        separes=regroupements.separes_from(request.POST) if confirmed else frozenset(),
    )
    if confirmed:
        messages.success(request, _import_termine(outcome))
        return redirect("contrats:contrat", contrat.pk)
    return render(
        request,
        "documents/import_preview.html",
        {
            "title": "Vérifier l'import",
            "contrat": contrat,
            "document": document,
            "outcome": outcome,
            "retraits_form": RetraitsForm(absents=outcome.absents),
            "regroupements_form": RegroupementsForm(
                regroupements=[g for fiche in outcome.fiches for g in fiche.regroupements]
            ),
            "breadcrumb_data": _breadcrumb(contrat, "Vérifier l'import"),
        },
    )


def _import_termine(outcome) -> str:
    """Le bilan de l'import confirmé : fiches créées, mises à jour, inchangées, et ce qui
    a été retiré ou enregistré en plus."""
    counts = outcome.counts
    retirees = sum(1 for absent in outcome.absents if absent.retiree)
    valeurs = sum(fiche.valeurs_creees for fiche in outcome.fiches)
    return (
        f"Import terminé : {counts['creation']} fiche(s) créée(s), "
        f"{counts['mise_a_jour']} mise(s) à jour, {counts['inchangee']} inchangée(s)"
        + (f", {retirees} élément(s) suivi(s) marqué(s) retiré(s)" if retirees else "")
        + (f", {valeurs} valeur(s) d'indicateur enregistrée(s)" if valeurs else "")
        + "."
    )


@require_POST
def import_relire(request, pk, document_pk):
    """Relance la lecture d'un document dont la lecture a échoué (« Réessayer »)."""
    contrat = _contrat_for_import(request, pk)
    document = get_object_or_404(DocumentImporte, contrat=contrat, pk=document_pk)
    document = depots.document_relire(document=document, user=request.user)
    if request.htmx:
        document.refresh_from_db()  # moteur « immediate » : la lecture est déjà faite
        return _page_lecture(request, contrat, document)
    return redirect("documents:import_preview", contrat.pk, document.pk)


def import_modele(request, pk):
    """Tableur modèle d'import des fiches (en-tête et ligne d'exemple)."""
    from django.http import HttpResponse

    from .importer.reader_tableur import modele_xlsx

    _contrat_for_import(request, pk)
    response = HttpResponse(
        modele_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="modele-fiches-actions.xlsx"'
    return response


def import_file(request, pk, document_pk):
    """Télécharge un document déposé : toute personne qui voit le contrat peut le relire."""
    contrat = permissions.get_contrat_for(request.user, pk)
    document = get_object_or_404(DocumentImporte, contrat=contrat, pk=document_pk)
    response = private_file_response(document.fichier, document.nom_original)
    acces_record(
        user=request.user,
        contrat=contrat,
        nature=Acces.Nature.TELECHARGEMENT,
        objet=f"Document importé n°{document.pk}",
        request=request,
    )
    return response

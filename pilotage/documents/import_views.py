"""Import de fiches depuis un document : dépôt, aperçu des changements, confirmation."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from pilotage.contrats import permissions
from pilotage.contrats.views import breadcrumb
from pilotage.core.files import private_file_response
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record
from pilotage.referentiel.models import Objectif

from . import regroupements, services
from .forms import ImportForm, RetraitsForm
from .forms_regroupements import RegroupementsForm
from .models import DocumentImporte


def _contrat_for_import(request, pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    if not permissions.can_create_fiche(request.user, contrat):
        raise PermissionDenied("Seuls les pilotes du contrat peuvent importer des fiches.")
    return contrat


#: Une lecture gardée une demi-heure : le dépôt, l'aperçu et la confirmation lisent le même
#: fichier trois fois, et un PDF de 40 fiches demande une vingtaine de secondes.
PARSE_CACHE_SECONDS = 1800


def _parse(contrat, data: bytes, filename: str):
    """Le document lu (`parse_document`), gardé en cache par son contenu, son format et
    les objectifs connus : la même lecture sert du dépôt à la confirmation."""
    from .importer import parse_document

    known = set(
        Objectif.objects.filter(generation_id=contrat.generation_id).values_list(
            "numero", flat=True
        )
    )
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else ""
    empreinte = hashlib.sha256(data)
    empreinte.update(f"|{extension}|{sorted(known, key=str)}".encode())
    key = f"documents:lecture:{empreinte.hexdigest()}"
    result = cache.get(key)
    if result is None:
        result = parse_document(data, filename=filename, known_objectifs=known)
        cache.set(key, result, PARSE_CACHE_SECONDS)
    return result


def _breadcrumb(contrat, current):
    return breadcrumb(contrat, None, current)


def import_upload(request, pk):
    contrat = _contrat_for_import(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    from .importer import ImportErreur

    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        data = upload.read()
        try:
            _parse(contrat, data, upload.name)
        except ImportErreur as exc:
            form.add_error("fichier", str(exc))
        else:
            document = services.document_store(
                contrat=contrat, user=request.user, filename=upload.name, data=data
            )
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


def import_preview(request, pk, document_pk):
    contrat = _contrat_for_import(request, pk)
    document = get_object_or_404(DocumentImporte, contrat=contrat, pk=document_pk)
    if document.statut != DocumentImporte.Statut.ANALYSE:
        messages.info(request, f"Ce document a déjà été traité : {document.get_statut_display()}.")
        return redirect("documents:import_upload", contrat.pk)
    from .importer import ImportErreur

    with document.fichier.open("rb") as handle:
        data = handle.read()
    try:
        result = _parse(contrat, data, document.nom_original)
    except ImportErreur as exc:
        services.document_abandon(document=document)
        messages.error(request, str(exc))
        return redirect("documents:import_upload", contrat.pk)
    if request.method == "POST" and request.POST.get("action") == "abandonner":
        services.document_abandon(document=document)
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
        counts = outcome.counts
        retirees = sum(1 for absent in outcome.absents if absent.retiree)
        valeurs = sum(fiche.valeurs_creees for fiche in outcome.fiches)
        messages.success(
            request,
            f"Import terminé : {counts['creation']} fiche(s) créée(s), "
            f"{counts['mise_a_jour']} mise(s) à jour, {counts['inchangee']} inchangée(s)"
            + (f", {retirees} élément(s) suivi(s) marqué(s) retiré(s)" if retirees else "")
            + (f", {valeurs} valeur(s) d'indicateur enregistrée(s)" if valeurs else "")
            + ".",
        )
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

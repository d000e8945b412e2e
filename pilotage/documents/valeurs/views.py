"""Import des valeurs d'indicateurs depuis un tableur : dépôt, aperçu de ce qui est
reconnu ou non, confirmation (tout ou rien) ; tableur modèle pré-rempli des indicateurs
du contrat.

Entre l'aperçu et la confirmation, les lignes lues voyagent signées dans le formulaire
(`django.core.signing`, une heure) : rien n'est stocké tant que la personne n'a pas
confirmé, et le service refait l'appariement au moment d'écrire.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pilotage.contrats import permissions
from pilotage.contrats.models import Indicateur
from pilotage.contrats.views import breadcrumb
from pilotage.core.files import XLSX, attachment
from pilotage.core.spreadsheets import xlsx_bytes

from ..forms import ImportValeursForm
from ..importer.errors import ImportErreur
from . import appariement, lecture, services

MAX_AGE = 3600
EXPIRED = "L'aperçu a expiré ou a été modifié : déposez de nouveau le tableur."
MODELE_HEADERS = [
    "Fiche",
    "Indicateur",
    "Année",
    "Semestre",
    "Valeur",
    "Numérateur",
    "Dénominateur",
    "Source",
    "Commentaire",
]


def _contrat(request, pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    if not permissions.can_record_values_in(request.user, contrat):
        raise PermissionDenied("Vous ne pouvez pas saisir de valeurs dans ce contrat.")
    return contrat


def _salt(contrat, user) -> str:
    return f"documents.valeurs:{contrat.pk}:{user.pk}"


def _render(request, contrat, context, status=200):
    title = "Importer des valeurs d'indicateurs"
    return render(
        request,
        "documents/valeurs_import.html",
        {
            "title": title,
            "contrat": contrat,
            "statuts": appariement.STATUTS,
            "breadcrumb_data": breadcrumb(contrat, None, title),
            **context,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def valeurs_import(request, pk):
    contrat = _contrat(request, pk)
    if request.method == "POST" and "donnees" in request.POST:
        return _confirm(request, contrat)
    form = ImportValeursForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _render(request, contrat, {"form": form}, status)
    upload = form.cleaned_data["fichier"]
    try:
        lignes = lecture.lire(upload.read(), filename=upload.name)
    except ImportErreur as exc:
        form.add_error("fichier", str(exc))
        return _render(request, contrat, {"form": form}, 400)
    apercu = appariement.apparier(lignes, contrat=contrat, user=request.user)
    donnees = signing.dumps(
        {"nom": upload.name[:200], "lignes": [ligne.as_dict() for ligne in lignes]},
        salt=_salt(contrat, request.user),
        compress=True,
    )
    context = {"apercu": apercu, "donnees": donnees, "nom": upload.name}
    return _render(request, contrat, context)


def _confirm(request, contrat):
    try:
        payload = signing.loads(
            request.POST["donnees"], salt=_salt(contrat, request.user), max_age=MAX_AGE
        )
        lignes = [lecture.LigneLue.from_dict(item) for item in payload["lignes"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError):
        messages.error(request, EXPIRED)
        return redirect("documents:valeurs_import", contrat.pk)
    try:
        count = services.valeurs_import(
            contrat=contrat, user=request.user, lignes=lignes, filename=payload.get("nom", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:valeurs_import", contrat.pk)
    messages.success(
        request,
        f"{count} valeur{'s' if count > 1 else ''} d'indicateur enregistrée{'s' if count > 1 else ''}.",
    )
    return redirect(reverse("contrats:contrat", args=[contrat.pk]))


@require_GET
def valeurs_modele(request, pk):
    """Le tableur modèle : une ligne par indicateur chiffré du contrat, à compléter."""
    contrat = _contrat(request, pk)
    indicateurs = (
        Indicateur.objects.filter(fiche__contrat=contrat, nature=Indicateur.Nature.QUANTITATIF)
        .select_related("fiche")
        .order_by("fiche__numero", "ordre", "pk")
    )
    rows = [[i.fiche.numero_affiche, i.libelle, "", "", "", "", "", "", ""] for i in indicateurs]
    data = xlsx_bytes("Valeurs des indicateurs", MODELE_HEADERS, rows)
    response = HttpResponse(data, content_type=XLSX)
    return attachment(response, f"modele-valeurs-{contrat.departement.code}.xlsx")

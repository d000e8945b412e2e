"""Dossier de préparation et compte rendu d'une réunion : pages, exports PDF et Word,
circuit de validation.

Droits : voir le dossier, le compte rendu et leurs exports = voir le contrat (sinon
404) ; marquer la réunion comme tenue, soumettre le compte rendu, le valider ou
demander des modifications pour son institution = pilote du contrat (403 sinon).
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pilotage.contrats.adresses import adresses_des_fiches
from pilotage.contrats.badges import badges_d_etat
from pilotage.contrats.permissions import get_contrat_for
from pilotage.core.files import attachment, private_file_response
from pilotage.core.ratelimit import exports_limited
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from .. import selectors, services
from ..documents import (
    compte_rendu_content,
    compte_rendu_docx,
    compte_rendu_pdf,
    dossier_content,
    dossier_docx,
    dossier_pdf,
    filename,
)
from ..documents.forms import ValidationForm
from ..models import Reunion, ValidationCompteRendu
from ..permissions import can_organise, get_reunion_for, require_organiser, reunion_among

logger = logging.getLogger(__name__)

#: Libellés du journal des accès.
DOCUMENTS = {"dossier": "Dossier de séance", "compte-rendu": "Compte rendu"}

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

#: Les gabarits communs à la page et au PDF testent `pdf` à chaque ligne : défini pour la
#: page, il ne coûte plus la recherche d'une variable absente (une exception à chaque test).
PAGE_WEB = {"pdf": False}

ACTIONS = {
    "tenir": "La réunion est marquée comme tenue : le compte rendu peut être préparé.",
    "soumettre": "Le compte rendu est soumis à la validation des pilotes de chaque institution.",
    ValidationCompteRendu.Avis.VALIDE: "Votre validation est enregistrée.",
    ValidationCompteRendu.Avis.REMARQUES: (
        "Votre demande de modifications est enregistrée : le compte rendu revient en préparation."
    ),
}


def _breadcrumb(reunion: Reunion, current: str) -> dict:
    contrat = reunion.contrat
    return {
        "links": [
            {"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)},
            {"url": reverse("reunions:list", args=[contrat.pk]), "title": "Réunions de suivi"},
            {
                "url": reverse("reunions:detail", args=[contrat.pk, reunion.pk]),
                "title": str(reunion),
            },
        ],
        "current": current,
    }


def _record(request, reunion, kind: str, nature: str, fmt: str = "") -> None:
    """Inscrit au journal des accès la consultation ou le téléchargement d'un document."""
    label = f"{DOCUMENTS[kind]} ({fmt.upper()})" if fmt else DOCUMENTS[kind]
    acces_record(
        user=request.user,
        contrat=reunion.contrat,
        nature=nature,
        objet=f"{label} – {reunion}",
        request=request,
    )


def _download(request, reunion, kind: str, fmt: str, build) -> HttpResponse:
    try:
        data = build()
    except Exception:
        logger.exception("Export %s (%s) impossible pour la réunion %s", kind, fmt, reunion.pk)
        return render(
            request,
            "documents/export_erreur.html",
            {"title": "Export impossible", "contrat": reunion.contrat},
            status=500,
        )
    _record(request, reunion, kind, Acces.Nature.TELECHARGEMENT, fmt)
    return attachment(HttpResponse(data, content_type=FORMATS[fmt]), filename(kind, reunion, fmt))


# --- Dossier de préparation -----------------------------------------------------------


def _reunion_et_autres(request, pk, reunion_pk) -> tuple[Reunion, list[Reunion]]:
    """La réunion (404 comme `get_reunion_for`) prise parmi toutes celles du contrat, lues
    en une requête avec leur rang : le dossier en tire aussi la réunion précédente, le
    dossier et le compte rendu les rangs de l'en-tête et des décisions précédentes."""
    reunions = selectors.reunions_avec_rang(get_contrat_for(request.user, pk))
    return reunion_among(reunions, reunion_pk), reunions


def _adresses_et_badges(fiches, contrat_pk: int) -> None:
    """Pour la page : l'adresse de chaque fiche (un seul `reverse`) et son badge d'état
    (`contrats.badges`, rendu une fois par état, retard et impact distincts)."""
    fiche_url = adresses_des_fiches(contrat_pk)
    badge = badges_d_etat()
    for item in fiches:
        item.url = fiche_url(item.numero)
        item.etat_badge = badge(item.fiche)


@require_GET
def dossier(request, pk, reunion_pk):
    reunion, reunions = _reunion_et_autres(request, pk, reunion_pk)
    content = dossier_content(reunion, viewer=request.user, reunions=reunions)
    _adresses_et_badges(content.fiches, reunion.contrat_id)
    _record(request, reunion, "dossier", Acces.Nature.CONSULTATION)
    return render(
        request,
        "reunions/dossier.html",
        {
            "title": content.titre,
            "contrat": reunion.contrat,
            "reunion": reunion,
            "dossier": content,
            "entete": content.entete,
            **PAGE_WEB,
            "breadcrumb_data": _breadcrumb(reunion, "Dossier de préparation"),
        },
    )


@require_GET
@exports_limited
def dossier_export(request, pk, reunion_pk, fmt):
    reunion, reunions = _reunion_et_autres(request, pk, reunion_pk)
    if fmt not in FORMATS:
        raise Http404("Format inconnu.")
    content = dossier_content(reunion, viewer=request.user, reunions=reunions)
    build = dossier_pdf if fmt == "pdf" else dossier_docx
    return _download(request, reunion, "dossier", fmt, lambda: build(content))


# --- Compte rendu et circuit de validation --------------------------------------------


def _compte_rendu_page(request, reunion: Reunion, form=None, status: int = 200, reunions=()):
    content = compte_rendu_content(reunion, viewer=request.user, reunions=reunions)
    fiche_url = adresses_des_fiches(reunion.contrat_id)
    for fiche in content.fiches:
        fiche.url = fiche_url(fiche.numero)
    user = request.user
    pilote = can_organise(user, reunion)
    institution = getattr(user, "institution", None) if user.institution_id else None
    mine = next(
        (v for v in content.validations if institution and v.institution == institution.nom),
        None,
    )
    return render(
        request,
        "reunions/compte_rendu.html",
        {
            "title": content.titre,
            "contrat": reunion.contrat,
            "reunion": reunion,
            "cr": content,
            "entete": content.entete,
            **PAGE_WEB,
            "peut_piloter": pilote,
            "actions": reunion.actions_possibles(user),
            "mon_institution": institution,
            "mon_avis": mine,
            "form": form or ValidationForm(),
            "breadcrumb_data": _breadcrumb(reunion, "Compte rendu"),
        },
        status=status,
    )


@require_GET
def compte_rendu(request, pk, reunion_pk):
    reunion, reunions = _reunion_et_autres(request, pk, reunion_pk)
    _record(request, reunion, "compte-rendu", Acces.Nature.CONSULTATION)
    return _compte_rendu_page(request, reunion, reunions=reunions)


@require_GET
@exports_limited
def compte_rendu_export(request, pk, reunion_pk, fmt):
    reunion, reunions = _reunion_et_autres(request, pk, reunion_pk)
    if fmt not in FORMATS:
        raise Http404("Format inconnu.")
    stored = reunion.compte_rendu_pdf if fmt == "pdf" else reunion.compte_rendu_docx
    if reunion.est_figee and stored:
        # L'exemplaire validé, tel qu'il a été figé (regénéré seulement s'il a disparu).
        try:
            response = private_file_response(stored, filename("compte-rendu", reunion, fmt))
            _record(request, reunion, "compte-rendu", Acces.Nature.TELECHARGEMENT, fmt)
            return response
        except Http404:
            logger.exception("Compte rendu archivé illisible pour la réunion %s", reunion.pk)
    content = compte_rendu_content(reunion, viewer=request.user, reunions=reunions)
    build = compte_rendu_pdf if fmt == "pdf" else compte_rendu_docx
    return _download(request, reunion, "compte-rendu", fmt, lambda: build(content))


@require_POST
def compte_rendu_validation(request, pk, reunion_pk):
    """Une étape du circuit (champ `action`) : tenir, soumettre, valide, remarques."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    require_organiser(request.user, reunion)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Action inconnue : rien n'a été enregistré.")
        return redirect("reunions:compte_rendu", pk=reunion.contrat_id, reunion_pk=reunion.pk)
    form = None
    try:
        if action == "tenir":
            services.reunion_tenir(reunion=reunion, user=request.user)
        elif action == "soumettre":
            services.compte_rendu_submit(reunion=reunion, user=request.user)
        else:
            form = ValidationForm(request.POST)
            if not form.is_valid():
                return _compte_rendu_page(request, reunion, form=form, status=400)
            services.compte_rendu_validate(
                reunion=reunion,
                user=request.user,
                avis=action,
                commentaire=form.cleaned_data["commentaire"],
                confirmations=form.personal_data_confirmed,
            )
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return _compte_rendu_page(request, reunion, form=form, status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect("reunions:compte_rendu", pk=reunion.contrat_id, reunion_pk=reunion.pk)
    reunion.refresh_from_db()
    if reunion.est_figee:
        messages.success(
            request, "Toutes les institutions pilotes ont validé : le compte rendu est figé."
        )
    else:
        messages.success(request, ACTIONS[action])
    return redirect("reunions:compte_rendu", pk=reunion.contrat_id, reunion_pk=reunion.pk)

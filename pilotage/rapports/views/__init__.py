"""Pages du rapport d'exécution : liste par année, page du rapport, sections (HTMX),
commentaires, étapes du circuit ; à part, téléchargements (`telechargement`), montants
exécutés de l'annexe (`annexe`) et « Reprendre la proposition » (`propositions`).

Droits : voir = voir le contrat (404 sinon) ; le reste suit
`RapportExecution.actions_possibles` (403 avec la raison). Une section se modifie à sa
propre adresse : page entière (formulaire ouvert à sa place) ou fragment HTMX, erreurs
affichées en place dans l'une comme dans l'autre.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pilotage.contrats.models import FicheAction
from pilotage.contrats.permissions import get_contrat_for
from pilotage.core.services import ConflitDeVersion

from .. import selectors, services
from ..forms import (
    ActionPertinenteForm,
    CommentaireForm,
    MontantsExecutesForm,
    PreparerForm,
    SectionForm,
)
from ..models import (
    Partie,
    RapportExecution,
    SectionRapport,
    SourceFinancement,
    partie_de,
)

Rubrique = SectionRapport.Rubrique

#: Étapes du circuit : service et message de confirmation.
ETAPES = {
    "soumettre": (
        services.rapport_submit,
        "Le rapport est soumis aux pilotes de l'État et de l'ARS.",
    ),
    "valider": (services.rapport_validate, "Votre validation est enregistrée."),
    "arreter": (
        services.rapport_arreter,
        "Le rapport est arrêté : cette version ne changera plus.",
    ),
    "corriger": (
        services.rapport_corriger,
        "Le rapport est rouvert pour correction : une nouvelle version est en rédaction.",
    ),
}


def _breadcrumb(contrat, current: str, rapport: RapportExecution | None = None) -> dict:
    links = [{"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)}]
    if rapport is not None:
        links.append(
            {"url": reverse("rapports:liste", args=[contrat.pk]), "title": "Rapports d'exécution"}
        )
    return {"links": links, "current": current}


def _rapport_url(rapport: RapportExecution, ancre: str = "") -> str:
    url = reverse("rapports:rapport", args=[rapport.contrat_id, rapport.annee])
    return f"{url}#{ancre}" if ancre else url


# --- Liste et préparation ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def liste(request, pk):
    contrat = get_contrat_for(request.user, pk)
    peut_preparer = RapportExecution.peut_preparer(request.user, contrat)
    annees = selectors.annees_possibles(contrat) if peut_preparer else []
    form = PreparerForm(annees=annees, initial={"annee": annees[-1] if annees else None})
    status = 200
    if request.method == "POST":
        if not peut_preparer:
            raise PermissionDenied(
                "Seuls les pilotes du Conseil départemental préparent le rapport d'exécution."
            )
        form = PreparerForm(request.POST, annees=annees)
        if form.is_valid():
            try:
                rapport = services.rapport_create(
                    contrat=contrat, annee=form.cleaned_data["annee"], user=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Le rapport {rapport.annee} est en préparation.")
                return redirect(_rapport_url(rapport))
        status = 400
    context = {
        "title": "Rapports d'exécution",
        "contrat": contrat,
        "rapports": selectors.rapports_du_contrat(contrat),
        "peut_preparer": peut_preparer,
        "annees": annees,
        "form": form,
        "breadcrumb_data": _breadcrumb(contrat, "Rapports d'exécution"),
    }
    return render(request, "rapports/liste.html", context, status=status)


# --- Page du rapport -----------------------------------------------------------------


def _get_rapport(request, pk, annee) -> RapportExecution:
    contrat = get_contrat_for(request.user, pk)
    return selectors.rapport_for(contrat, annee)


def _forms(request, rapport, vue, actions, *, edition="", form=None, comment_form=None):
    """Pose sur la section ses formulaires : texte ouvert (s'il l'est), commentaire."""
    if vue.cle == edition and form is not None:
        vue.form = form
    if "commenter" in actions:
        mine = vue.cle == edition and comment_form is not None
        vue.comment_form = comment_form if mine else CommentaireForm(prefix=f"c-{vue.ancre}")


def _page(
    request,
    rapport,
    *,
    status=200,
    edition="",
    form=None,
    comment_form=None,
    executes_form=None,
    reprise="",
):
    page = selectors.page_rapport(rapport)
    actions = rapport.actions_possibles(request.user)
    if executes_form is None and page.contenu is not None and "rediger" in actions:
        executes_form = MontantsExecutesForm(lignes=page.contenu.annexe_financiere.lignes)
    for vue in page.vues:
        _forms(
            request, rapport, vue, actions, edition=edition, form=form, comment_form=comment_form
        )
        vue.reprise = bool(reprise) and vue.cle == reprise
    partie = partie_de(request.user, rapport.contrat)
    context = {
        "title": f"{rapport.titre} – {rapport.contrat.departement.nom}",
        "contrat": rapport.contrat,
        "rapport": rapport,
        "page": page,
        "actions": actions,
        "ma_partie": Partie(partie).label if partie else "",
        "executes_form": executes_form,
        "breadcrumb_data": _breadcrumb(rapport.contrat, rapport.titre, rapport),
        **_telechargements(rapport, page.versions),
    }
    return render(request, "rapports/rapport.html", context, status=status)


def rapport(request, pk, annee):
    if request.method != "GET":
        return redirect("rapports:rapport", pk, annee)
    rapport_ = _get_rapport(request, pk, annee)
    if request.htmx and request.htmx.target == "telecharger":
        return _fragment_telecharger(request, rapport_)
    return _page(request, rapport_)


@require_POST
def circuit(request, pk, annee):
    """Une étape du circuit (champ `action`) : soumettre, valider, arreter, corriger."""
    rapport_ = _get_rapport(request, pk, annee)
    etape = ETAPES.get(request.POST.get("action", ""))
    if etape is None:
        messages.error(request, "Action inconnue : rien n'a été enregistré.")
        return redirect(_rapport_url(rapport_))
    service, message = etape
    try:
        service(rapport=rapport_, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_rapport_url(rapport_, "circuit"))
    rapport_.refresh_from_db()
    if request.POST["action"] == "valider" and rapport_.statut == RapportExecution.Statut.VALIDE:
        message = "Les trois parties ont validé : le rapport peut être arrêté."
    messages.success(request, message)
    return redirect(_rapport_url(rapport_, "circuit"))


# --- Sections ------------------------------------------------------------------------


def _target(rapport, rubrique: str, numero: int | None, source: str):
    """(fiche, source) d'une section désignée par son adresse ; 404 si elle n'existe pas."""
    if rubrique == Rubrique.ACTION_PERTINENTE:
        if source not in SourceFinancement.values:
            raise Http404("Source de financement inconnue.")
        return None, source
    if rubrique not in (Rubrique.BILAN, Rubrique.PERSPECTIVES):
        raise Http404("Rubrique inconnue.")
    fiche = get_object_or_404(FicheAction.objects.filter(contrat=rapport.contrat), numero=numero)
    fiche.contrat = rapport.contrat
    return fiche, ""


def _fiches_du_contrat(rapport):
    return FicheAction.objects.filter(contrat=rapport.contrat).order_by("numero")


def _section_form(rapport, vue, data=None):
    initial = {"texte": vue.texte, "version": vue.version}
    if vue.rubrique == Rubrique.ACTION_PERTINENTE:
        initial["fiche"] = vue.fiche_choisie
        return ActionPertinenteForm(
            data, initial=initial, fiches=_fiches_du_contrat(rapport), prefix=vue.ancre
        )
    return SectionForm(data, initial=initial, label=vue.libelle, prefix=vue.ancre)


def _fragment(request, rapport, vue, *, status=200, form=None, comment_form=None, annonce=""):
    actions = rapport.actions_possibles(request.user)
    edition = vue.cle if form is not None or comment_form is not None else ""
    _forms(request, rapport, vue, actions, edition=edition, form=form, comment_form=comment_form)
    context = {
        "contrat": rapport.contrat,
        "rapport": rapport,
        "vue": vue,
        "actions": actions,
        "annonce": annonce,
    }
    return render(request, "rapports/includes/section.html", context, status=status)


def _respond(request, rapport, vue, *, status=200, form=None, comment_form=None, annonce=""):
    if request.htmx:
        return _fragment(
            request,
            rapport,
            vue,
            status=status,
            form=form,
            comment_form=comment_form,
            annonce=annonce,
        )
    if status == 200 and annonce:
        messages.success(request, annonce)
        return redirect(_rapport_url(rapport, vue.ancre))
    edition = vue.cle if form is not None or comment_form is not None else ""
    return _page(
        request, rapport, status=status, edition=edition, form=form, comment_form=comment_form
    )


def _save(request, rapport, vue, rubrique, fiche, source):
    form = _section_form(rapport, vue, data=request.POST)
    if not form.is_valid():
        return _respond(request, rapport, vue, status=400, form=form)
    data = form.cleaned_data
    try:
        services.section_save(
            rapport=rapport,
            user=request.user,
            rubrique=rubrique,
            fiche=fiche,
            source=source,
            texte=data["texte"],
            fiche_choisie=data.get("fiche"),
            expected_version=data.get("version"),
            confirmations=form.personal_data_confirmed,
        )
    except ConflitDeVersion:
        form.add_error(
            None,
            "Ce texte a été modifié par une autre personne pendant votre saisie : "
            "copiez le vôtre, puis rechargez la section pour voir son texte actuel.",
        )
        return _respond(request, rapport, vue, status=409, form=form)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", {None: exc.messages})
        for name, messages_ in errors.items():
            form.add_error(name if name in form.fields else None, messages_)
        return _respond(request, rapport, vue, status=400, form=form)
    vue = selectors.section_vue(rapport, rubrique, fiche=fiche, source=source)
    return _respond(request, rapport, vue, annonce=f"{vue.libelle} : enregistré.")


@require_http_methods(["GET", "POST"])
def section(request, pk, annee, rubrique, numero=None, source=""):
    """GET : la section ouverte en modification (fragment, ou page avec le formulaire à
    sa place ; `?vue=lecture` : la section en lecture). POST : enregistre le texte."""
    rapport_ = _get_rapport(request, pk, annee)
    fiche, source = _target(rapport_, rubrique, numero, source)
    vue = selectors.section_vue(rapport_, rubrique, fiche=fiche, source=source)
    peut_rediger = "rediger" in rapport_.actions_possibles(request.user)
    if request.method == "GET":
        if request.GET.get("vue") == "lecture" or not peut_rediger:
            if request.htmx:
                return _fragment(request, rapport_, vue)
            return redirect(_rapport_url(rapport_, vue.ancre))
        if request.GET.get("reprendre") and vue.peut_reprendre:
            return _reprise(request, rapport_, vue)
        return _respond(request, rapport_, vue, form=_section_form(rapport_, vue))
    if not peut_rediger:
        raise PermissionDenied(
            "Seuls les pilotes du Conseil départemental rédigent le rapport, tant qu'il "
            "n'est ni validé ni arrêté."
        )
    return _save(request, rapport_, vue, rubrique, fiche, source)


def _reprise(request, rapport, vue, *, status=200, erreur=""):
    """La section avec la confirmation de « Reprendre la proposition » à sa place."""
    vue.reprise = True
    if request.htmx:
        return _fragment(request, rapport, vue, status=status, annonce=erreur)
    if erreur:
        messages.error(request, erreur)
        return redirect(_rapport_url(rapport, vue.ancre))
    return _page(request, rapport, status=status, reprise=vue.cle)


@require_POST
def commentaire(request, pk, annee, rubrique, numero=None, source=""):
    rapport_ = _get_rapport(request, pk, annee)
    fiche, source = _target(rapport_, rubrique, numero, source)
    vue = selectors.section_vue(rapport_, rubrique, fiche=fiche, source=source)
    if "commenter" not in rapport_.actions_possibles(request.user):
        raise PermissionDenied(
            "Seuls les pilotes de l'État (préfecture, DDETS) et de l'ARS commentent le "
            "rapport soumis."
        )
    form = CommentaireForm(request.POST, prefix=f"c-{vue.ancre}")
    if form.is_valid():
        try:
            services.section_comment(
                rapport=rapport_,
                user=request.user,
                rubrique=rubrique,
                fiche=fiche,
                source=source,
                texte=form.cleaned_data["texte"],
                confirmations=form.personal_data_confirmed,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            vue = selectors.section_vue(rapport_, rubrique, fiche=fiche, source=source)
            return _respond(request, rapport_, vue, annonce="Commentaire enregistré.")
    return _respond(request, rapport_, vue, status=400, comment_form=form)


# Les vues de ces modules s'appuient sur les aides ci-dessus : importées après elles.
from .annexe import executes as executes  # noqa: E402
from .propositions import reprendre as reprendre  # noqa: E402
from .telechargement import (  # noqa: E402
    _fragment_telecharger,
    _telechargements,
)
from .telechargement import fichier_brouillon as fichier_brouillon  # noqa: E402
from .telechargement import fichier_version as fichier_version  # noqa: E402
from .telechargement import generer as generer  # noqa: E402
from .telechargement import telecharger as telecharger  # noqa: E402

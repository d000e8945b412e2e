"""Pages du rapport d'exécution : liste par année, page du rapport, sections (HTMX),
commentaires, étapes du circuit, téléchargements (fichiers produits à la demande, en
tâche de fond ou enregistrés sur une version arrêtée).

Droits : voir = voir le contrat (404 sinon) ; le reste suit
`RapportExecution.actions_possibles` (403 avec la raison). Une section se modifie à sa
propre adresse : page entière (formulaire ouvert à sa place) ou fragment HTMX, erreurs
affichées en place dans l'une comme dans l'autre.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from pilotage.contrats.models import FicheAction
from pilotage.contrats.permissions import get_contrat_for
from pilotage.core.files import attachment, private_file_response
from pilotage.core.services import ConflitDeVersion
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from .. import selectors, services
from ..content.fige import ContenuIllisible, contenu_fige
from ..formats import EXPORTERS, NOMS, TELECHARGEMENT
from ..forms import (
    ActionPertinenteForm,
    CommentaireForm,
    MontantsExecutesForm,
    PreparerForm,
    SectionForm,
)
from ..models import (
    GenerationFichier,
    Partie,
    RapportExecution,
    SectionRapport,
    SourceFinancement,
    partie_de,
)
from ..tasks import nom_fichier

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


# --- Téléchargement -------------------------------------------------------------------

#: Format → (libellé du bouton, type MIME). Seuls les formats inscrits dans
#: `formats.EXPORTERS` sont proposés : un format ajouté là apparaît ici de lui-même.
FORMATS_TELECHARGEMENT = TELECHARGEMENT


def _telechargements(rapport, versions) -> dict:
    groupes = selectors.telechargements(rapport, versions)
    return {
        "telechargements": groupes,
        "en_route": any(g.en_route for g in groupes),
        "empreinte": selectors.empreinte_telechargements(groupes),
    }


def _fragment_telecharger(request, rapport, *, erreur: str = ""):
    """La rubrique « Télécharger » seule (fragment HTMX, rafraîchi pendant une production)."""
    versions = list(rapport.versions_arretees.order_by("numero"))
    context = {"contrat": rapport.contrat, "rapport": rapport, "erreur": erreur}
    context |= _telechargements(rapport, versions)
    if request.method == "GET" and request.GET.get("etat") == context["empreinte"]:
        return HttpResponse(status=204)  # rien n'a changé : la rubrique reste telle quelle
    return render(request, "rapports/includes/telecharger.html", context)


def _journal(request, rapport, numero: int, fmt: str) -> None:
    """Inscrit le téléchargement au journal des accès (comme un compte rendu de réunion)."""
    acces_record(
        user=request.user,
        contrat=rapport.contrat,
        nature=Acces.Nature.TELECHARGEMENT,
        objet=f"Rapport d'exécution {rapport.annee}, version {numero} ({fmt.upper()})",
        request=request,
    )


def _format_connu(fmt: str) -> None:
    if fmt not in EXPORTERS or fmt not in FORMATS_TELECHARGEMENT:
        raise Http404("Format inconnu.")


@require_http_methods(["GET"])
def telecharger(request, pk, annee, fmt):
    """Le rapport dans un format inscrit, produit à la demande depuis les données et les
    textes rédigés de la version en cours (voir le contrat suffit, comme pour la page).
    Rapport arrêté : le fichier enregistré de sa version, qui ne change plus."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    if rapport.statut == RapportExecution.Statut.ARRETE:
        return redirect("rapports:fichier_version", pk, annee, rapport.version, fmt)
    sections = rapport.sections.select_related("fiche")
    content = selectors.contenu_calcule(
        rapport.contrat,
        rapport.annee,
        sections=sections,
        executes=selectors.executes_du_rapport(rapport),
    )
    if content is None:
        raise Http404("Contenu du rapport indisponible.")
    data = EXPORTERS[fmt](content)
    response = HttpResponse(data, content_type=FORMATS_TELECHARGEMENT[fmt][1])
    _journal(request, rapport, rapport.version, fmt)
    return attachment(response, nom_fichier(rapport, rapport.version, fmt))


def _attendre(request, rapport, message: str):
    messages.info(request, message)
    return redirect(_rapport_url(rapport, "telecharger"))


@require_http_methods(["GET"])
def fichier_version(request, pk, annee, numero, fmt):
    """Un fichier d'une version arrêtée, tel qu'enregistré à l'arrêté (le JSON : relu du
    contenu figé). Pas encore produit : retour à la page, où l'on suit sa production."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    version = get_object_or_404(rapport.versions_arretees, numero=numero)
    nom = nom_fichier(rapport, version.numero, fmt)
    if fmt == "json":
        try:
            data = EXPORTERS["json"](contenu_fige(version.contenu.get("calcule")))
        except ContenuIllisible as exc:
            raise Http404("Contenu arrêté illisible.") from exc
        _journal(request, rapport, version.numero, fmt)
        return attachment(HttpResponse(data, content_type="application/json"), nom)
    champ = getattr(version, f"fichier_{fmt}", None)
    if champ is None:
        raise Http404("Format inconnu.")
    if not champ:
        return _attendre(
            request, rapport, "Ce fichier de la version arrêtée n'est pas encore prêt."
        )
    _journal(request, rapport, version.numero, fmt)
    return private_file_response(champ, nom)


@require_http_methods(["GET"])
def fichier_brouillon(request, pk, annee, fmt):
    """Le fichier produit en tâche de fond pour la version en rédaction, s'il est prêt."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    generation = (
        rapport.generations.du_brouillon()
        .filter(format=fmt, version=rapport.version, statut=GenerationFichier.Statut.PRETE)
        .first()
    )
    if generation is None or not generation.fichier:
        return _attendre(request, rapport, "Ce fichier n'est pas prêt : générez-le d'abord.")
    _journal(request, rapport, rapport.version, fmt)
    return private_file_response(generation.fichier, nom_fichier(rapport, rapport.version, fmt))


def _numero_version(valeur: str) -> int | None:
    """Le numéro de version envoyé (vide : la version en rédaction). Illisible ou démesuré :
    0, une version qui n'existe pas, refusée en clair par le service."""
    if not valeur:
        return None
    return int(valeur) if valeur.isdecimal() and len(valeur) < 4 else 0


@require_POST
def generer(request, pk, annee):
    """Demande la production d'un fichier en tâche de fond (champ `format`, et `version`
    pour une version arrêtée) ; la rubrique « Télécharger » suit ensuite la production."""
    rapport = _get_rapport(request, pk, annee)
    fmt = request.POST.get("format", "")
    try:
        services.generation_demander(
            rapport=rapport,
            user=request.user,
            fmt=fmt,
            numero=_numero_version(request.POST.get("version", "")),
        )
    except ValidationError as exc:
        message, level = " ".join(exc.messages), messages.ERROR
    else:
        message = (
            f"{capfirst(NOMS.get(fmt, fmt))} est en production : il sera prêt dans un instant."
        )
        level = messages.SUCCESS
    if request.htmx:
        erreur = message if level == messages.ERROR else ""
        return _fragment_telecharger(request, rapport, erreur=erreur)
    messages.add_message(request, level, message)
    return redirect(_rapport_url(rapport, "telecharger"))


from .annexe import executes as executes  # noqa: E402  (s'appuie sur les aides ci-dessus)
from .propositions import reprendre as reprendre  # noqa: E402

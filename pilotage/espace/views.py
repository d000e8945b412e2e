"""Pages de l'espace partagé. Minces : la visibilité vient de `Espace.objects.visibles_par`
(un espace invisible répond 404), les droits et les règles des services (403 ou message
à sa place dans le formulaire)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pilotage.core.files import private_file_response
from pilotage.referentiel.models import Generation, Objectif

from . import selectors, services
from .forms import (
    ActualiteForm,
    EditeursForm,
    PropositionForm,
    ReponseForm,
    RessourceForm,
    RubriqueForm,
    VersionForm,
)
from .models import Espace, Niveau, Proposition, Ressource, Rubrique

#: Longueur gardée de l'adresse de retour après « Ne plus suivre » (une page du site).
SUIVANT_MAX = 300


def _espace(request, cle: str) -> Espace:
    """L'espace `cle` si la personne le lit, 404 sinon. Les espaces sont créés à la
    première demande (`services.espaces_assurer`)."""
    espaces = Espace.objects.select_related("region", "departement")
    espace = espaces.visibles_par(request.user).filter(cle=cle).first()
    if espace is None and not Espace.objects.filter(cle=cle).exists():
        services.espaces_assurer()
        espace = espaces.visibles_par(request.user).filter(cle=cle).first()
    if espace is None:
        raise Http404("Espace introuvable.")
    return espace


def _crumbs(espace: Espace | None = None, current: str = "") -> dict:
    links = [{"url": reverse("espace:index"), "title": "Espace partagé"}]
    if espace is not None and current:
        links.append({"url": reverse("espace:espace", args=[espace.cle]), "title": espace.nom})
    return {"links": links, "current": current or (espace.nom if espace else "")}


def _objectifs():
    """Objectifs proposés en étiquettes : ceux de la génération en cours (2025-2027)."""
    generation = Generation.objects.order_by("-annee_debut").first()
    return Objectif.objects.filter(generation=generation).order_by("ordre", "numero")


def _publication_check(request, espace: Espace) -> None:
    if not espace.peut_publier(request.user):
        raise PermissionDenied("Vous ne publiez pas dans cet espace.")


def _form_save(request, form, service, success: str, *, fields: tuple[str, ...], **kwargs) -> bool:
    """Le formulaire envoyé et valide passe au service (la personne, `kwargs`, les
    `fields` saisis, les confirmations des données personnelles) : vrai, avec le message
    `success` ; faux si rien n'est envoyé, si la saisie est invalide ou si le service la
    refuse (son message est dit dans le formulaire)."""
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        service(
            user=request.user,
            **kwargs,
            **{name: data[name] for name in fields},
            confirmations=form.personal_data_confirmed,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, success)
    return True


def _page(request, template: str, *, espace: Espace | None, title: str, crumb: str = "", **context):
    """Une page à formulaire de l'espace : 400 quand le formulaire montre des erreurs."""
    form = context.get("form")
    return render(
        request,
        template,
        {
            "title": title,
            "espace": espace,
            "breadcrumb_data": _crumbs(espace, crumb or title),
            **context,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_GET
def index(request):
    services.espaces_assurer()
    espaces = list(
        Espace.objects.visibles_par(request.user)
        .select_related("region", "departement")
        .order_by("niveau", "region__nom", "departement__code")
    )
    return render(
        request,
        "espace/index.html",
        {
            "title": "Espace partagé",
            "national": [e for e in espaces if e.niveau == Niveau.NATIONAL],
            "regionaux": [e for e in espaces if e.niveau == Niveau.REGIONAL],
            "departementaux": [e for e in espaces if e.niveau == Niveau.DEPARTEMENTAL],
            "peut_configurer": Espace.peut_configurer(request.user),
            "suivis": selectors.espaces_suivis(request.user),
            "breadcrumb_data": {"links": [], "current": "Espace partagé"},
        },
    )


@require_GET
def espace(request, cle):
    espace = _espace(request, cle)
    rubrique_id = request.GET.get("rubrique", "")
    rubrique_id = int(rubrique_id) if rubrique_id.isdigit() and len(rubrique_id) < 10 else None
    return render(
        request,
        "espace/espace.html",
        {
            "title": espace.nom,
            "espace": espace,
            "rubrique_id": rubrique_id,
            "peut_publier": espace.peut_publier(request.user),
            "peut_configurer": Espace.peut_configurer(request.user),
            "abonne": selectors.espace_suivi(request.user, espace),
            "breadcrumb_data": _crumbs(espace),
            **selectors.espace_accueil(espace, rubrique_id=rubrique_id),
        },
    )


@require_POST
def suivre(request, cle, suivre: bool):
    """« Suivre cet espace » et « Ne plus suivre cet espace ». Avec htmx, le bouton est
    remplacé à sa place ; sinon retour à la page d'où l'on vient (`suivant`, une adresse
    du site) ou à l'accueil de l'espace."""
    espace = _espace(request, cle)
    if suivre:
        services.abonnement_create(user=request.user, espace=espace)
        annonce = "Vous suivez cet espace : un courriel par semaine, s'il y a du nouveau."
    else:
        services.abonnement_delete(user=request.user, espace=espace)
        annonce = "Vous ne suivez plus cet espace : plus aucun courriel de sa part."
    if request.htmx:
        return render(
            request,
            "espace/espace.html#abonnement",
            {"espace": espace, "abonne": suivre, "annonce": annonce},
        )
    messages.success(request, annonce)
    suivant = request.POST.get("suivant", "")[:SUIVANT_MAX]
    if suivant and url_has_allowed_host_and_scheme(
        suivant, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(suivant)
    return redirect("espace:espace", espace.cle)


def ressource_nouvelle(request, cle):
    espace = _espace(request, cle)
    _publication_check(request, espace)
    form = RessourceForm(request.POST or None, request.FILES or None, objectifs=_objectifs())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["fichier"]
        try:
            ressource = services.ressource_create(
                user=request.user,
                espace=espace,
                rubrique=data["rubrique"],
                titre=data["titre"],
                resume=data["resume"],
                date=data["date"],
                lien=data["lien"],
                filename=upload.name if upload else "",
                data=upload.read() if upload else None,
                objectifs=data["objectifs"],
                confirmations=form.personal_data_confirmed,
            )
        except ValidationError as exc:
            sur_fichier = upload and services.FICHIER_OU_LIEN not in exc.messages
            form.add_error("fichier" if sur_fichier else None, exc)
        else:
            messages.success(request, "La ressource est publiée.")
            return redirect("espace:ressource", espace.cle, ressource.pk)
    return _page(
        request,
        "espace/publier.html",
        espace=espace,
        title="Publier une ressource",
        form=form,
        fichiers=True,
    )


def _ressource(request, espace: Espace, pk) -> Ressource:
    ressources = Ressource.objects.filter(espace=espace).pour_liste().prefetch_related("objectifs")
    ressource = get_object_or_404(ressources, pk=pk)
    ressource.espace = espace
    return ressource


def _ressource_page(request, espace: Espace, ressource: Ressource, *, version_form, peut_publier):
    return render(
        request,
        "espace/ressource.html",
        {
            "title": ressource.titre,
            "espace": espace,
            "ressource": ressource,
            "versions": list(ressource.fichiers.all()),
            "version_form": version_form,
            "peut_publier": peut_publier,
            "breadcrumb_data": _crumbs(espace, ressource.titre),
        },
        status=400 if version_form.errors else 200,
    )


@require_GET
def ressource(request, cle, pk):
    espace = _espace(request, cle)
    ressource = _ressource(request, espace, pk)
    return _ressource_page(
        request,
        espace,
        ressource,
        version_form=VersionForm(),
        peut_publier=espace.peut_publier(request.user),
    )


@require_POST
def version_ajouter(request, cle, pk):
    espace = _espace(request, cle)
    ressource = _ressource(request, espace, pk)
    _publication_check(request, espace)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            services.ressource_version_add(
                user=request.user, ressource=ressource, filename=upload.name, data=upload.read()
            )
        except ValidationError as exc:
            form.add_error("fichier", exc)
        else:
            messages.success(request, "La nouvelle version est déposée ; les précédentes restent.")
            return redirect("espace:ressource", espace.cle, ressource.pk)
    return _ressource_page(request, espace, ressource, version_form=form, peut_publier=True)


@require_GET
def fichier(request, cle, pk, fichier_pk):
    espace = _espace(request, cle)
    ressource = get_object_or_404(Ressource.objects.filter(espace=espace), pk=pk)
    version = get_object_or_404(ressource.fichiers, pk=fichier_pk)
    return private_file_response(version.fichier, version.nom)


@require_POST
def trimestre(request, cle, pk):
    espace = _espace(request, cle)
    ressource = None if request.POST.get("retirer") else _ressource(request, espace, pk)
    services.ressource_du_trimestre_set(user=request.user, espace=espace, ressource=ressource)
    messages.success(
        request,
        "La ressource est mise en avant ce trimestre."
        if ressource
        else "Plus aucune ressource n'est mise en avant.",
    )
    return redirect("espace:espace", espace.cle)


def actualite_nouvelle(request, cle):
    espace = _espace(request, cle)
    _publication_check(request, espace)
    form = ActualiteForm(request.POST or None)
    if _form_save(
        request,
        form,
        services.actualite_create,
        "L'actualité est publiée.",
        fields=("titre", "texte", "date"),
        espace=espace,
    ):
        return redirect("espace:espace", espace.cle)
    return _page(
        request, "espace/publier.html", espace=espace, title="Publier une actualité", form=form
    )


def propositions(request, cle):
    espace = _espace(request, cle)
    form = PropositionForm(request.POST or None)
    if _form_save(
        request,
        form,
        services.proposition_create,
        "Merci : votre proposition est transmise aux éditeurs.",
        fields=("titre", "texte"),
        espace=espace,
    ):
        return redirect("espace:propositions", espace.cle)
    return _page(
        request,
        "espace/propositions.html",
        espace=espace,
        title="Propositions d'amélioration",
        form=form,
        propositions=list(
            Proposition.objects.filter(espace=espace).select_related("auteur", "repondu_par")
        ),
    )


def proposition(request, cle, pk):
    espace = _espace(request, cle)
    proposition = get_object_or_404(
        Proposition.objects.filter(espace=espace).select_related("auteur", "repondu_par"), pk=pk
    )
    proposition.espace = espace
    peut_repondre = proposition.peut_repondre(request.user)
    if request.method == "POST" and not peut_repondre:
        raise PermissionDenied("Vous ne répondez pas aux propositions ici.")
    form = ReponseForm(request.POST or None, proposition=proposition) if peut_repondre else None
    if _form_save(
        request,
        form,
        services.proposition_repondre,
        "La réponse est enregistrée.",
        fields=("statut", "reponse"),
        proposition=proposition,
    ):
        return redirect("espace:proposition", espace.cle, proposition.pk)
    return _page(
        request,
        "espace/proposition.html",
        espace=espace,
        title=proposition.titre,
        proposition=proposition,
        form=form,
    )


def editeurs(request, cle):
    espace = _espace(request, cle)
    if not Espace.peut_configurer(request.user):
        raise PermissionDenied("Seul le niveau national nomme les éditeurs.")
    actuels = list(espace.editeurs.order_by("email"))
    form = EditeursForm(
        request.POST or None, initial={"emails": "\n".join(u.email for u in actuels)}
    )
    if request.method == "POST" and form.is_valid():
        services.editeurs_set(
            user=request.user, espace=espace, editeurs=form.cleaned_data["emails"]
        )
        messages.success(request, "Les éditeurs de l'espace sont enregistrés.")
        return redirect("espace:espace", espace.cle)
    return _page(
        request,
        "espace/editeurs.html",
        espace=espace,
        title="Éditeurs de l'espace",
        crumb="Éditeurs",
        form=form,
    )


def rubriques(request, pk=None):
    """Les rubriques des espaces : liste, ajout et modification (niveau national)."""
    if not Espace.peut_configurer(request.user):
        raise PermissionDenied("Seul le niveau national modifie les rubriques.")
    rubrique = get_object_or_404(Rubrique, pk=pk) if pk else None
    initial = (
        {"nom": rubrique.nom, "description": rubrique.description, "ordre": rubrique.ordre}
        if rubrique
        else None
    )
    form = RubriqueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubrique_save(user=request.user, rubrique=rubrique, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("nom", exc)
        else:
            messages.success(request, "La rubrique est enregistrée.")
            return redirect("espace:rubriques")
    return _page(
        request,
        "espace/rubriques.html",
        espace=None,
        title="Rubriques de l'espace partagé",
        crumb="Rubriques",
        rubriques=list(Rubrique.objects.all()),
        rubrique=rubrique,
        form=form,
    )

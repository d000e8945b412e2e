"""Pages « Personnes et droits » d'un contrat, acceptation d'une invitation, périmètres.

Minces : lecture par `selectors`, écriture par les services, qui vérifient les droits.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions
from ..invitations import Invitation
from ..models import Contrat, Habilitation
from ..views import breadcrumb
from . import invitations as invitation_services
from . import perimetres as perimetre_services
from . import selectors
from . import services as acces_services
from .forms import CompteForm, InvitationForm, PerimetreForm, RoleForm

#: Le courriel part en tâche de fond : la liste dit ensuite s'il est parti.
SORT_DU_COURRIEL = "La colonne « Courriel » des invitations en cours dit s'il est bien parti."


def form_errors_add(form, exc: ValidationError) -> None:
    """Affiche l'erreur d'un service à sa place dans le formulaire."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _contrat_gere(request, pk) -> Contrat:
    """Le contrat visible (sinon 404) dont l'utilisateur gère les accès (sinon 403)."""
    contrat = permissions.get_contrat_for(request.user, pk)
    if not permissions.can_manage_acces(request.user, contrat):
        raise PermissionDenied(acces_services.REFUS_GESTION)
    return contrat


def _acces_url(contrat: Contrat) -> str:
    return reverse("contrats:acces", args=[contrat.pk])


def _acces_page(request, contrat: Contrat, form: InvitationForm, status: int = 200):
    invitations = selectors.invitations_ouvertes(contrat)
    return render(
        request,
        "contrats/acces.html",
        {
            "title": f"Personnes et droits – {contrat}",
            "contrat": contrat,
            "acces": selectors.acces_du_contrat(contrat),
            "invitations": invitations,
            "failed_invitations": [i for i in invitations if i.email_failed],
            "form": form,
            "invitation_jours": settings.INVITATION_DAYS,
            "breadcrumb_data": breadcrumb(contrat, None, "Personnes et droits"),
        },
        status=status,
    )


@require_GET
def acces(request, pk):
    contrat = _contrat_gere(request, pk)
    return _acces_page(request, contrat, InvitationForm(contrat=contrat))


@require_POST
def invitation_create(request, pk):
    contrat = _contrat_gere(request, pk)
    form = InvitationForm(request.POST, contrat=contrat)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_services.invitation_create(
                contrat=contrat,
                user=request.user,
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                institution=data["institution"],
                fiches=data["fiches"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(
                request, f"L'invitation de {invitation.email} est enregistrée. {SORT_DU_COURRIEL}"
            )
            return redirect(_acces_url(contrat))
    return _acces_page(request, contrat, form, status=400)


def _invitation_of(contrat: Contrat, invitation_pk) -> Invitation:
    return get_object_or_404(Invitation.objects.filter(contrat=contrat), pk=invitation_pk)


@require_POST
def invitation_resend(request, pk, invitation_pk):
    contrat = _contrat_gere(request, pk)
    invitation = _invitation_of(contrat, invitation_pk)
    try:
        invitation_services.invitation_resend(
            invitation=invitation, user=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(
            request,
            f"L'invitation de {invitation.email} est renvoyée avec un nouveau lien. "
            f"{SORT_DU_COURRIEL}",
        )
    return redirect(_acces_url(contrat))


@require_POST
def invitation_revoke(request, pk, invitation_pk):
    contrat = _contrat_gere(request, pk)
    invitation = _invitation_of(contrat, invitation_pk)
    try:
        invitation_services.invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect(_acces_url(contrat))


def _habilitation_of(contrat: Contrat, habilitation_pk) -> Habilitation:
    habilitation = get_object_or_404(
        Habilitation.objects.filter(contrat=contrat).select_related("user__institution"),
        pk=habilitation_pk,
    )
    habilitation.contrat = contrat
    return habilitation


@require_http_methods(["GET", "POST"])
def habilitation_role(request, pk, habilitation_pk):
    contrat = _contrat_gere(request, pk)
    habilitation = _habilitation_of(contrat, habilitation_pk)
    person = habilitation.user
    initial = {
        "role": habilitation.role,
        "fiches": list(contrat.fiches.filter(referents=person).values_list("pk", flat=True)),
    }
    form = RoleForm(request.POST or None, contrat=contrat, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            acces_services.habilitation_change_role(
                habilitation=habilitation,
                role=form.cleaned_data["role"],
                fiches=form.cleaned_data["fiches"],
                user=request.user,
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, f"Le rôle de {person} est enregistré.")
            return redirect(_acces_url(contrat))
    return render(
        request,
        "contrats/acces_role.html",
        {
            "title": f"Rôle de {person}",
            "contrat": contrat,
            "habilitation": habilitation,
            "form": form,
            "breadcrumb_data": breadcrumb(contrat, None, f"Rôle de {person}"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def habilitation_remove(request, pk, habilitation_pk):
    contrat = _contrat_gere(request, pk)
    habilitation = _habilitation_of(contrat, habilitation_pk)
    error = ""
    if request.method == "POST":
        try:
            acces_services.habilitation_remove(habilitation=habilitation, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{habilitation.user} n'est plus « {habilitation.get_role_display()} » "
                "de ce contrat.",
            )
            return redirect(_acces_url(contrat))
    return render(
        request,
        "contrats/acces_retirer.html",
        {
            "title": f"Retirer l'accès de {habilitation.user}",
            "contrat": contrat,
            "habilitation": habilitation,
            "error": error,
            "breadcrumb_data": breadcrumb(contrat, None, "Retirer un accès"),
        },
        status=400 if error else 200,
    )


@require_GET
def acces_historique(request, pk):
    contrat = _contrat_gere(request, pk)
    return render(
        request,
        "contrats/acces_historique.html",
        {
            "title": f"Historique des droits – {contrat}",
            "contrat": contrat,
            "revisions": selectors.revisions_acces(contrat),
            "breadcrumb_data": breadcrumb(contrat, None, "Historique des droits"),
        },
    )


# --- acceptation d'une invitation (sans être connecté) --------------------------------


def _invitation_invalide(request, invitation: Invitation | None, token: str):
    remplacee = None if invitation else Invitation.objects.par_jeton_remplace(token).first()
    if remplacee is not None:
        message, status = remplacee.motif_lien_remplace(), 410
    elif invitation is None:
        message = (
            "Ce lien d'invitation n'est pas reconnu. Vérifiez que l'adresse copiée est "
            "complète (elle est longue), ou demandez une nouvelle invitation au pilote du "
            "contrat."
        )
        status = 404
    else:
        message, status = invitation.motif_refus(), 410
    return render(
        request,
        "contrats/invitation_invalide.html",
        {"title": "Invitation inutilisable", "message": message, "code": status},
        status=status,
    )


def _login_url(next_url: str) -> str:
    return reverse("comptes:login") + "?" + urlencode({"next": next_url})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = (
        Invitation.objects.par_jeton(token)
        .select_related("contrat__departement", "contrat__generation", "institution")
        .first()
    )
    user = request.user
    if (
        found is not None
        and user.is_authenticated
        and found.accepted_user_id == user.pk
        and Contrat.objects.visibles_par(user).filter(pk=found.contrat_id).exists()
    ):
        # De retour après ProConnect, qui a accepté l'invitation à l'arrivée (ou lien
        # rouvert par la personne qui l'a acceptée) : elle va au contrat.
        messages.success(request, f"Invitation acceptée : vous avez accès au {found.contrat}.")
        return redirect("contrats:contrat", found.contrat_id)
    if found is None or not found.utilisable:
        return _invitation_invalide(request, found, token)
    compte_existe = (
        not user.is_authenticated
        and get_user_model().objects.filter(email__iexact=found.email).exists()
    )
    form = None
    if not user.is_authenticated and not compte_existe:
        initial = {"first_name": found.first_name, "last_name": found.last_name}
        form = CompteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        response = _invitation_post(request, found, form)
        if response is not None:
            return response
    return render(
        request,
        "contrats/invitation.html",
        {
            "title": "Invitation à Pilotage partagé",
            "invitation": found,
            "contrat": found.contrat,
            "fiches": found.fiches.order_by("numero").only("numero", "titre"),
            "form": form,
            "compte_existe": compte_existe,
            "adresse_differente": user.is_authenticated and user.email.lower() != found.email,
            "login_url": _login_url(request.path),
            "proconnect": settings.PROCONNECT_ENABLED,
        },
        status=400 if request.method == "POST" else 200,
    )


def _invitation_post(request, found: Invitation, form):
    """Accepte pour la personne connectée, ou crée le compte ; None si la page est à
    rendre de nouveau (erreurs)."""
    contrat_url = reverse("contrats:contrat", args=[found.contrat_id])
    if request.user.is_authenticated:
        try:
            invitation_services.invitation_accept(invitation=found, user=request.user)
        except ValidationError as exc:
            message_errors(request, exc)
            return redirect(request.path)
        messages.success(request, f"Invitation acceptée : vous avez accès au {found.contrat}.")
        return redirect(contrat_url)
    if form is None or not form.is_valid():
        return None
    try:
        person = invitation_services.invitation_accept(
            invitation=found,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
    except ValidationError as exc:
        form_errors_add(form, exc)
        return None
    # Le lien à usage unique prouve l'adresse et le mot de passe vient d'être choisi : la
    # personne est connectée tout de suite (un second facteur exigé par son rôle lui est
    # demandé à la page suivante, par comptes.middleware).
    auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Votre compte est créé : vous avez accès au {found.contrat}.")
    return redirect(contrat_url)


# --- périmètres (niveau national) ----------------------------------------------------


def _perimetres_check(request) -> None:
    if not perimetre_services.peut_gerer_perimetres(request.user):
        raise PermissionDenied("Seul le niveau national gère les périmètres.")


@require_http_methods(["GET", "POST"])
def perimetres(request):
    _perimetres_check(request)
    form = PerimetreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = perimetre_services.perimetre_grant(
                person=form.person,
                perimetre=form.cleaned_data["perimetre"],
                region=form.cleaned_data["region"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(
                request, f"{person} a désormais le périmètre « {person.get_perimetre_display()} »."
            )
            return redirect("contrats:perimetres")
    return render(
        request,
        "contrats/acces_perimetres.html",
        {
            "title": "Périmètres régionaux et nationaux",
            "comptes": selectors.perimetres_elargis(),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def perimetre_remove(request, user_pk):
    _perimetres_check(request)
    person = get_object_or_404(get_user_model(), pk=user_pk)
    try:
        perimetre_services.perimetre_grant(
            person=person,
            perimetre=get_user_model().Perimetre.LOCAL,
            user=request.user,
            request=request,
        )
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(
            request, f"{person} n'a plus de périmètre élargi : il voit ses seuls contrats."
        )
    return redirect("contrats:perimetres")

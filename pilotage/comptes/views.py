from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from mozilla_django_oidc import views as oidc_views

from . import oidc
from .forms import ConnexionForm


@method_decorator(login_not_required, name="dispatch")
class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    form_class = ConnexionForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(proconnect=settings.PROCONNECT_ENABLED, **kwargs)


class DeconnexionView(auth_views.LogoutView):
    """Déconnexion ; une session ouverte avec ProConnect est aussi fermée chez ProConnect
    (redirection vers sa page de fin de session, qui revient à `proconnect_deconnexion`)."""

    def post(self, request, *args, **kwargs):
        provider_url = oidc.provider_logout_url(request)  # avant que la session soit vidée
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


def connexion_bloquee(request, original_response=None, credentials=None):
    """Page de refus après trop d'échecs de connexion (django-axes), avec l'heure à
    laquelle réessayer. Même page pour l'application et pour /admin/."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    response = render(
        request,
        "comptes/connexion_bloquee.html",
        {"title": "Connexion bloquée", "minutes": minutes, "retry_at": retry_at},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# --- ProConnect ----------------------------------------------------------------------


def _proconnect_required() -> None:
    if not settings.PROCONNECT_ENABLED:
        raise Http404("La connexion avec ProConnect n'est pas configurée.")


@method_decorator(login_not_required, name="dispatch")
class ProConnectDepartView(oidc_views.OIDCAuthenticationRequestView):
    """Départ vers ProConnect (`state`, `nonce` et PKCE gardés dans la session)."""

    def get(self, request):
        _proconnect_required()
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class ProConnectRetourView(oidc_views.OIDCAuthenticationCallbackView):
    """Retour de ProConnect : connecte la personne, ou dit pourquoi elle ne l'est pas
    (jamais d'erreur 500 ni de page technique)."""

    def get(self, request):
        _proconnect_required()
        state = request.GET.get("state")
        states = request.session.get("oidc_states", {})
        if request.GET.get("error"):
            if states.pop(state, None) is not None:  # tentative oubliée : pas de rejeu
                request.session.modified = True
            oidc.refus_log(
                request, oidc.ProConnectRefus("interrompue", detail=request.GET["error"])
            )
            return self._refus_message("interrompue")
        if "code" in request.GET and state not in states:
            oidc.refus_log(request, oidc.ProConnectRefus("etat_invalide"))
            return self._refus_message("etat_invalide")
        try:
            return super().get(request)
        except oidc.ProConnectRefus as refus:
            oidc.refus_log(request, refus)
            if refus.motif == "sans_invitation":
                request.session[oidc.REFUSED_EMAIL_SESSION_KEY] = refus.email
                return redirect("comptes:proconnect_sans_invitation")
            return self._refus_message(refus.motif)

    def login_failure(self):
        return self._refus_message("reponse_invalide")

    def _refus_message(self, motif: str):
        messages.error(self.request, oidc.MESSAGES[motif])
        return redirect("comptes:login")


@login_not_required
def proconnect_sans_invitation(request):
    """Page d'une personne reconnue par ProConnect qui n'a ni compte ni invitation."""
    email = request.session.get(oidc.REFUSED_EMAIL_SESSION_KEY, "")
    return render(
        request,
        "comptes/proconnect_sans_invitation.html",
        {
            "title": "Pas encore d'accès",
            "email": email if isinstance(email, str) else "",
            "deconnexion_proconnect": bool(request.session.get(oidc.ID_TOKEN_SESSION_KEY)),
        },
        status=403,
    )


@login_not_required
def proconnect_deconnexion(request):
    """Retour de ProConnect après la déconnexion."""
    state = request.GET.get("state", "")
    if isinstance(state, str) and oidc.logout_state_valid(state):
        messages.success(request, "Vous êtes déconnecté de Pilotage partagé et de ProConnect.")
    return redirect("comptes:login")

"""« Mon compte » et le mot de passe en libre-service : changement (connecté) et oubli
(lien à usage unique par courriel, valable `PASSWORD_RESET_TIMEOUT` secondes).

Les adresses d'abonnement d'agenda (`reunions`) gardent l'empreinte du mot de passe :
elles cessent d'elles-mêmes de fonctionner après un changement ou une réinitialisation,
sans que `comptes` ait à les connaître.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from pilotage.core.ratelimit import password_resets_limited

from . import otp_selectors, otp_services, second_factor
from .middleware import is_proconnect_session
from .password_forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

FEEDS_NOTICE = (
    "Si vous aviez abonné votre agenda aux réunions d'un contrat, cette adresse ne "
    "fonctionne plus : créez-en une nouvelle depuis la page des réunions du contrat."
)


@require_GET
def mon_compte(request):
    user = request.user
    context = {
        "title": "Mon compte",
        "proconnect": is_proconnect_session(request),
        "second_factor": otp_selectors.second_factor_state(user),
        "second_factor_reasons": second_factor.enforced_reasons(user),
        "second_factor_may_disable": otp_services.second_factor_may_disable(user),
        "verified": user.is_verified(),
    }
    return render(request, "comptes/mon_compte.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "comptes/mot_de_passe_changer.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("comptes:mon_compte")
    extra_context = {"title": "Changer de mot de passe"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            messages.info(
                request,
                "Votre compte se connecte par ProConnect : il n'a pas de mot de passe sur ce site.",
            )
            return redirect("comptes:mon_compte")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Votre mot de passe est changé. {FEEDS_NOTICE}")
        return response


def _reset_validity_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


class _ResetValidityMixin:
    """Les pages du mot de passe oublié disent combien de temps le lien vaut."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "validity_minutes": _reset_validity_minutes()}


@method_decorator(login_not_required, name="dispatch")
@method_decorator(password_resets_limited, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Même réponse que l'adresse soit connue ou non : on ne dit pas qui a un compte."""

    template_name = "comptes/mot_de_passe_oublie.html"
    form_class = PasswordResetForm
    email_template_name = "comptes/mot_de_passe_courriel.txt"
    subject_template_name = "comptes/mot_de_passe_courriel_objet.txt"
    success_url = reverse_lazy("comptes:password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}

    def form_valid(self, form):
        self.extra_email_context = {"validity_minutes": _reset_validity_minutes()}
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(_ResetValidityMixin, auth_views.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe_oublie_envoye.html"
    extra_context = {"title": "Courriel envoyé"}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(_ResetValidityMixin, auth_views.PasswordResetConfirmView):
    template_name = "comptes/mot_de_passe_nouveau.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("comptes:password_reset_complete")
    extra_context = {"title": "Nouveau mot de passe"}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe_nouveau_termine.html"
    extra_context = {"title": "Mot de passe enregistré"}

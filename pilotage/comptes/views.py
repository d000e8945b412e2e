from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator

from .forms import ConnexionForm


@method_decorator(login_not_required, name="dispatch")
class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    form_class = ConnexionForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class DeconnexionView(auth_views.LogoutView):
    pass


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

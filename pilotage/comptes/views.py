from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
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

from django.urls import path

from . import views
from .acces import views as acces_views

app_name = "contrats"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("contrats/<int:pk>/", views.contrat_detail, name="contrat"),
    path("contrats/<int:pk>/export.json", views.contrat_export_json, name="contrat_export"),
    path("contrats/<int:pk>/fiches/nouvelle/", views.fiche_create, name="fiche_create"),
    path("contrats/<int:pk>/fiches/<int:numero>/", views.fiche_detail, name="fiche"),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/historique/",
        views.fiche_history,
        name="fiche_historique",
    ),
    path("contrats/<int:pk>/fiches/<int:numero>/modifier/", views.fiche_edit, name="fiche_edit"),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/remettre-en-service/<str:relation>/<int:ligne_pk>/",
        views.ligne_remettre_en_service,
        name="ligne_remettre_en_service",
    ),
    # Personnes et droits (contrats.acces)
    path("contrats/<int:pk>/acces/", acces_views.acces, name="acces"),
    path(
        "contrats/<int:pk>/acces/historique/",
        acces_views.acces_historique,
        name="acces_historique",
    ),
    path(
        "contrats/<int:pk>/acces/inviter/",
        acces_views.invitation_create,
        name="invitation_create",
    ),
    path(
        "contrats/<int:pk>/acces/invitations/<int:invitation_pk>/renvoyer/",
        acces_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "contrats/<int:pk>/acces/invitations/<int:invitation_pk>/revoquer/",
        acces_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "contrats/<int:pk>/acces/<int:habilitation_pk>/role/",
        acces_views.habilitation_role,
        name="habilitation_role",
    ),
    path(
        "contrats/<int:pk>/acces/<int:habilitation_pk>/retirer/",
        acces_views.habilitation_remove,
        name="habilitation_remove",
    ),
    path("invitations/<str:token>/", acces_views.invitation, name="invitation"),
    path("administration/perimetres/", acces_views.perimetres, name="perimetres"),
    path(
        "administration/perimetres/<int:user_pk>/retirer/",
        acces_views.perimetre_remove,
        name="perimetre_remove",
    ),
]

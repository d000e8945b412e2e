from django.urls import path

from . import compte_views, otp_views, views

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="login"),
    path("deconnexion/", views.DeconnexionView.as_view(), name="logout"),
    # Mon compte, double authentification, mot de passe (compte_views, otp_views).
    path("", compte_views.mon_compte, name="mon_compte"),
    path("double-authentification/", otp_views.second_factor, name="second_factor"),
    path(
        "double-authentification/activer/",
        otp_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "double-authentification/desactiver/",
        otp_views.second_factor_disable,
        name="second_factor_disable",
    ),
    path(
        "double-authentification/codes-de-secours/",
        otp_views.recovery_codes,
        name="recovery_codes",
    ),
    path(
        "double-authentification/codes-de-secours/telecharger/",
        otp_views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path(
        "double-authentification/codes-de-secours/regenerer/",
        otp_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("mot-de-passe/", compte_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/oublie/",
        compte_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        compte_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        compte_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        compte_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "connexion/proconnect/sans-invitation/",
        views.proconnect_sans_invitation,
        name="proconnect_sans_invitation",
    ),
    path("deconnexion/proconnect/", views.proconnect_deconnexion, name="proconnect_deconnexion"),
]

#: Départ vers ProConnect et retour (adresse de retour déclarée chez ProConnect :
#: `/oidc/callback/`), sous /oidc/ sans espace de noms : les noms sont ceux que
#: mozilla-django-oidc attend.
oidc_urlpatterns = [
    path("authenticate/", views.ProConnectDepartView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.ProConnectRetourView.as_view(), name="oidc_authentication_callback"),
]

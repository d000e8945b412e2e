from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import views as oauth_views

from . import views

# Noms de django-oauth-toolkit (espace `oauth2_provider`) : sa page de découverte les lit.
oidc_patterns = [
    path("authorize", oauth_views.AuthorizationView.as_view(), name="authorize"),
    path("token", oauth_views.TokenView.as_view(), name="token"),
    path("userinfo", oauth_views.UserInfoView.as_view(), name="user-info"),
    path("jwks", oauth_views.JwksInfoView.as_view(), name="jwks-info"),
    path("session/end", oauth_views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    path(
        ".well-known/openid-configuration",
        oauth_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
]

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("api/v2/", include((oidc_patterns, "oauth2_provider"))),
    path("test/reglage/", views.reglage, name="reglage"),
]

"""Pages du pied de page. Les noms d'URL sont ceux qu'attend le gabarit de pied de page DSFR."""

from django.urls import path

from . import views
from .recherche import views as recherche_views

urlpatterns = [
    path(
        "accessibilite/",
        views.legal_page,
        {"slug": "accessibilite"},
        name="footer-accessibility-status",
    ),
    path(
        "mentions-legales/",
        views.legal_page,
        {"slug": "mentions-legales"},
        name="footer-legal-notice",
    ),
    path(
        "donnees-personnelles/",
        views.legal_page,
        {"slug": "donnees-personnelles"},
        name="footer-personal-data",
    ),
]

urlpatterns.append(path("recherche/", recherche_views.recherche, name="recherche"))

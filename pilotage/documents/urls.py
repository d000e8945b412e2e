"""Routes des documents : import de fiches (dépôt, aperçu, confirmation) et exports."""

from django.urls import path

from . import import_views, views
from .valeurs import views as valeurs_views

app_name = "documents"

urlpatterns = [
    path(
        "contrats/<int:pk>/fiches/<int:numero>/export.<str:fmt>",
        views.fiche_export,
        name="fiche_export",
    ),
    path("contrats/<int:pk>/fiches/export.<str:fmt>", views.contrat_export, name="contrat_export"),
    path("contrats/<int:pk>/import/", import_views.import_upload, name="import_upload"),
    path("contrats/<int:pk>/import/modele.xlsx", import_views.import_modele, name="import_modele"),
    path("contrats/<int:pk>/import/valeurs/", valeurs_views.valeurs_import, name="valeurs_import"),
    path(
        "contrats/<int:pk>/import/valeurs/modele.xlsx",
        valeurs_views.valeurs_modele,
        name="valeurs_modele",
    ),
    path(
        "contrats/<int:pk>/import/<int:document_pk>/",
        import_views.import_preview,
        name="import_preview",
    ),
    path(
        "contrats/<int:pk>/import/<int:document_pk>/relire",
        import_views.import_relire,
        name="import_relire",
    ),
    path(
        "contrats/<int:pk>/import/<int:document_pk>/fichier",
        import_views.import_file,
        name="import_file",
    ),
]

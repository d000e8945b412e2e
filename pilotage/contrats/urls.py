from django.urls import path

from . import views

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
]

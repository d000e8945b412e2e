from django.urls import path

from . import indicateurs_views, vues_views

app_name = "consolidation"

urlpatterns: list = [
    path("national/", vues_views.national, name="national"),
    path("national/contrats.<str:fmt>", vues_views.national_export, name="national_export"),
    path("national/regions/<int:pk>/", vues_views.region, name="region"),
    path(
        "national/regions/<int:pk>/contrats.<str:fmt>",
        vues_views.region_export,
        name="region_export",
    ),
    path("national/indicateurs/", indicateurs_views.indicateurs, name="indicateurs"),
    path(
        "national/indicateurs/tableau-de-bord.<str:fmt>",
        indicateurs_views.tableau_de_bord,
        name="tableau_de_bord",
    ),
    path("national/indicateurs/<int:pk>/", indicateurs_views.indicateur, name="indicateur"),
    path(
        "national/indicateurs/<int:pk>.<str:fmt>",
        indicateurs_views.indicateur_export,
        name="indicateur_export",
    ),
]

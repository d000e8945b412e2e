from django.urls import path

from . import indicateurs_views

app_name = "consolidation"

urlpatterns: list = [
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

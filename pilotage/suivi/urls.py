from django.urls import path

from . import collecte_views, releve_views, views

app_name = "suivi"

urlpatterns = [
    path("taches/", collecte_views.mes_taches, name="mes_taches"),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/collecte/", collecte_views.collecte, name="collecte"
    ),
    path(
        "contrats/<int:pk>/indicateurs.<str:fmt>",
        views.indicateurs_export,
        name="indicateurs_export",
    ),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/indicateurs/",
        views.indicateurs,
        name="indicateurs",
    ),
    path("contrats/<int:pk>/fiches/<int:numero>/releves/", releve_views.releves, name="releves"),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/releves/nouveau/",
        releve_views.releve_create,
        name="releve_create",
    ),
    path("contrats/<int:pk>/releves/<int:releve_pk>/", releve_views.releve_detail, name="releve"),
    path(
        "contrats/<int:pk>/releves/<int:releve_pk>/traces/",
        releve_views.trace_upload,
        name="trace_upload",
    ),
    path(
        "contrats/<int:pk>/releves/<int:releve_pk>/traces/<int:trace_pk>",
        releve_views.trace_download,
        name="trace",
    ),
]

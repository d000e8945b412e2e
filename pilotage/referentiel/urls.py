from django.urls import path

from . import views

app_name = "referentiel"

urlpatterns = [
    path("", views.referentiel, name="index"),
    path("objectifs/<int:pk>/modifier/", views.objectif_edit, name="objectif_edit"),
    path("<str:code>/", views.referentiel, name="generation"),
]

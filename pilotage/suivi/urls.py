from django.urls import path

from . import views

app_name = "suivi"

urlpatterns = [
    path(
        "contrats/<int:pk>/fiches/<int:numero>/indicateurs/",
        views.indicateurs,
        name="indicateurs",
    ),
]

"""Adresses des rapports d'exécution d'un contrat."""

from django.urls import path

from . import views

app_name = "rapports"

R = "contrats/<int:pk>/rapports/<int:annee>/"
S = R + "sections/<str:rubrique>/<int:numero>/"
A = R + "actions/<str:source>/"

urlpatterns = [
    path("contrats/<int:pk>/rapports/", views.liste, name="liste"),
    path(R, views.rapport, name="rapport"),
    path(R + "circuit/", views.circuit, name="circuit"),
    path(R + "executes/", views.executes, name="executes"),
    path(R + "telecharger/<str:fmt>/", views.telecharger, name="telecharger"),
    path(R + "generer/", views.generer, name="generer"),
    path(R + "generer/<str:fmt>/", views.fichier_brouillon, name="fichier_brouillon"),
    path(R + "versions/<int:numero>/<str:fmt>/", views.fichier_version, name="fichier_version"),
    path(S, views.section, name="section"),
    path(S + "commentaires/", views.commentaire, name="commentaire"),
    path(S + "reprendre/", views.reprendre, name="reprendre"),
    path(A, views.section, {"rubrique": "action_pertinente"}, name="action"),
    path(
        A + "commentaires/",
        views.commentaire,
        {"rubrique": "action_pertinente"},
        name="action_commentaire",
    ),
]

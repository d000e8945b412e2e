"""Adresses de l'espace partagé (sous /espace/). Un espace est désigné par sa clé
stable : « national », « region-75 », « departement-23 »."""

from django.urls import path

from . import views

app_name = "espace"

urlpatterns = [
    path("", views.index, name="index"),
    path("rubriques/", views.rubriques, name="rubriques"),
    path("rubriques/<int:pk>/", views.rubriques, name="rubrique"),
    path("<slug:cle>/", views.espace, name="espace"),
    path("<slug:cle>/suivre/", views.suivre, {"suivre": True}, name="suivre"),
    path("<slug:cle>/ne-plus-suivre/", views.suivre, {"suivre": False}, name="ne_plus_suivre"),
    path("<slug:cle>/publier/", views.ressource_nouvelle, name="ressource_nouvelle"),
    path("<slug:cle>/ressources/<int:pk>/", views.ressource, name="ressource"),
    path("<slug:cle>/ressources/<int:pk>/version/", views.version_ajouter, name="version"),
    path(
        "<slug:cle>/ressources/<int:pk>/fichiers/<int:fichier_pk>/",
        views.fichier,
        name="fichier",
    ),
    path("<slug:cle>/ressources/<int:pk>/trimestre/", views.trimestre, name="trimestre"),
    path("<slug:cle>/actualites/nouvelle/", views.actualite_nouvelle, name="actualite_nouvelle"),
    path("<slug:cle>/propositions/", views.propositions, name="propositions"),
    path("<slug:cle>/propositions/<int:pk>/", views.proposition, name="proposition"),
    path("<slug:cle>/editeurs/", views.editeurs, name="editeurs"),
]

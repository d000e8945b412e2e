"""Adresses du journal des accès."""

from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("contrats/<int:pk>/journal/", views.journal, name="contrat"),
    path("contrats/<int:pk>/journal/export.<str:fmt>", views.journal_export, name="contrat_export"),
    path("journal/", views.journal_national, name="national"),
    path("journal/export.<str:fmt>", views.journal_national_export, name="national_export"),
]

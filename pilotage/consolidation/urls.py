from django.urls import path

app_name = "consolidation"

urlpatterns: list = []

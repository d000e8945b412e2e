from django.contrib import admin

from .models import ValeurIndicateur


@admin.register(ValeurIndicateur)
class ValeurIndicateurAdmin(admin.ModelAdmin):
    list_display = [
        "indicateur",
        "annee",
        "semestre",
        "valeur",
        "numerateur",
        "denominateur",
        "source",
    ]
    list_filter = ["annee", "indicateur__fiche__contrat"]
    search_fields = ["indicateur__libelle", "source"]
    raw_id_fields = ["indicateur", "user"]

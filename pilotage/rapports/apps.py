from django.apps import AppConfig


class RapportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.rapports"
    verbose_name = "Rapports d'exécution"

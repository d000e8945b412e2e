from django.apps import AppConfig


class EspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.espace"
    verbose_name = "Espace partagé"

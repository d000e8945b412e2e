from django.apps import AppConfig


class SuiviConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.suivi"
    verbose_name = "Suivi des indicateurs"

    def ready(self):
        from . import export  # noqa: F401 - enregistre la contribution à l'export du contrat

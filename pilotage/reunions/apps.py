from django.apps import AppConfig


class ReunionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.reunions"
    verbose_name = "Réunions de suivi"

    def ready(self):
        from . import export  # noqa: F401 - enregistre la contribution à l'export du contrat

from django.apps import AppConfig


class EspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.espace"
    verbose_name = "Espace partagé"

    def ready(self):
        """Ressources, actualités et propositions cherchables (`core.recherche`)."""
        from . import recherche

        recherche.register()

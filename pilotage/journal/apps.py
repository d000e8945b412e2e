from django.apps import AppConfig


class JournalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.journal"
    verbose_name = "Journal des accès"

    def ready(self):
        """Le journal s'inscrit dans le registre de `core` (les pages de `contrats` y
        signalent leurs consultations) et écoute les connexions pour le journal de
        sécurité."""
        from pilotage.core import journal

        from . import securite, services

        journal.register(services.acces_record)
        securite.connect()

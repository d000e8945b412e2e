from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.documents"
    verbose_name = "Documents (import et export)"

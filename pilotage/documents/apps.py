from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.documents"
    verbose_name = "Documents (import et export)"

    def ready(self):
        from pilotage.core import history

        # Sous une révision d'import : le lien vers le document importé.
        history.register(
            history.Legende(
                template="documents/includes/revision_legende.html",
                prefetch_related=("documents_importes",),
            )
        )

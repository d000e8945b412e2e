from django.apps import AppConfig


class SuiviConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.suivi"
    verbose_name = "Suivi des indicateurs"

    def ready(self):
        """« Mes tâches » en tête de la page d'accueil et compteur du menu (`core.attente`)."""
        from pilotage.core import attente

        from . import (
            export,  # noqa: F401 - enregistre la contribution à l'export du contrat
            recherche,
            tasks,
        )

        recherche.register()

        attente.register_bloc(
            attente.Bloc(
                key="taches",
                ordre=10,
                collect=tasks.nombres_taches_de_la_requete,
                template="suivi/includes/accueil_taches.html",
            )
        )
        # Même nombre que le bloc : une seule lecture sur la page d'accueil.
        attente.register_compteur(tasks.nombre_taches_de_la_requete)

from django.apps import AppConfig


class RapportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.rapports"
    verbose_name = "Rapports d'exécution"

    def ready(self):
        """Les rapports s'inscrivent dans « Mes tâches » (suivi) : à valider, à arrêter ;
        et dans l'export JSON du contrat (core.exports)."""
        from pilotage.suivi import tasks

        from . import (
            export,  # noqa: F401 - enregistre la contribution à l'export du contrat
            exports,  # noqa: F401 - inscrit les formats du rapport (docx, odt, pdf, xlsx, ods)
            recherche,
            selectors,
        )

        recherche.register()

        tasks.register(
            tasks.Rubrique(
                key="rapports_a_valider",
                queryset=selectors.rapports_a_valider,
                page_template="rapports/includes/taches_a_valider.html",
                rappel_template="rapports/includes/rappel_a_valider.txt",
            )
        )
        tasks.register(
            tasks.Rubrique(
                key="rapports_a_arreter",
                queryset=selectors.rapports_a_arreter,
                page_template="rapports/includes/taches_a_arreter.html",
                rappel_template="rapports/includes/rappel_a_arreter.txt",
            )
        )

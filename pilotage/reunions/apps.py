from django.apps import AppConfig


class ReunionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.reunions"
    verbose_name = "Réunions de suivi"

    def ready(self):
        """Les réunions s'inscrivent dans les registres des applications dont elles
        dépendent : export du contrat, « Mes tâches », légendes de l'historique."""
        from pilotage.core import history
        from pilotage.suivi import tasks

        from . import (
            export,  # noqa: F401 - enregistre la contribution à l'export du contrat
            selectors,
        )

        tasks.register(
            tasks.Rubrique(
                key="comptes_rendus",
                collect=selectors.comptes_rendus_a_valider,
                page_template="reunions/includes/taches_comptes_rendus.html",
                rappel_template="reunions/includes/rappel_comptes_rendus.txt",
            )
        )
        history.register(
            history.Legende(
                template="reunions/includes/revision_legende.html",
                select_related=("decision__point__reunion", "decision_recue__point__reunion"),
                prepare=selectors.revisions_reunions_rangs,
            )
        )

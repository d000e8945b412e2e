from django.apps import AppConfig


class ReunionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.reunions"
    verbose_name = "Réunions de suivi"

    def ready(self):
        """Les réunions s'inscrivent dans les registres des applications dont elles
        dépendent : export du contrat, « Mes tâches », page d'accueil, légendes de
        l'historique ; le sort du courriel d'invitation d'un participant est inscrit sur lui."""
        from pilotage.core import attente, courriels, history
        from pilotage.suivi import tasks

        from . import (
            accueil,
            export,  # noqa: F401 - enregistre la contribution à l'export du contrat
            recherche,
            selectors,
        )
        from .services import planning

        recherche.register()
        courriels.tracking_register(planning.TRACKING_KIND, planning.participation_email_track)

        tasks.register(
            tasks.Rubrique(
                key="comptes_rendus",
                queryset=selectors.comptes_rendus_a_valider,
                page_template="reunions/includes/taches_comptes_rendus.html",
                rappel_template="reunions/includes/rappel_comptes_rendus.txt",
            )
        )
        tasks.register(
            tasks.Rubrique(
                key="comptes_rendus_a_reprendre",
                queryset=selectors.comptes_rendus_a_reprendre,
                page_template="reunions/includes/taches_comptes_rendus_a_reprendre.html",
                rappel_template="reunions/includes/rappel_comptes_rendus_a_reprendre.txt",
            )
        )
        attente.register_bloc(
            attente.Bloc(
                key="prochaines_reunions",
                ordre=20,
                collect=accueil.prochaines_reunions,
                template="reunions/includes/accueil_reunions.html",
            )
        )
        attente.register_bloc(
            attente.Bloc(
                key="decisions_ouvertes",
                ordre=30,
                collect=accueil.decisions_ouvertes,
                template="reunions/includes/accueil_decisions.html",
            )
        )
        history.register(
            history.Legende(
                template="reunions/includes/revision_legende.html",
                select_related=("decision__point__reunion", "decision_recue__point__reunion"),
                prepare=selectors.revisions_reunions_rangs,
            )
        )

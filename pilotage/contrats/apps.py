from django.apps import AppConfig


class ContratsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.contrats"

    def ready(self):
        """Les contrats s'inscrivent dans les registres de `comptes` : une arrivée par
        ProConnect accepte les invitations en attente ; pilotes et validateurs doivent
        présenter un second facteur."""
        from pilotage.comptes import arrivals, second_factor

        from . import recherche
        from .acces import invitations, selectors

        arrivals.register(invitations.claim_invitation)
        second_factor.register(
            selectors.exige_second_facteur, explain=selectors.raison_second_facteur
        )
        recherche.register()

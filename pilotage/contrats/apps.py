from django.apps import AppConfig


class ContratsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pilotage.contrats"

    def ready(self):
        """Les contrats s'inscrivent dans les registres de `comptes` : une arrivée par
        ProConnect accepte les invitations en attente ; pilotes et validateurs doivent
        présenter un second facteur ; le sort du courriel d'une invitation est inscrit sur
        elle."""
        from pilotage.comptes import arrivals, second_factor
        from pilotage.core import courriels

        from . import recherche
        from .acces import invitations, selectors

        arrivals.register(invitations.claim_invitation)
        courriels.tracking_register(invitations.TRACKING_KIND, invitations.invitation_email_track)
        second_factor.register(
            selectors.exige_second_facteur, explain=selectors.raison_second_facteur
        )
        recherche.register()

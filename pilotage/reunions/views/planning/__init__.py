"""Planification des réunions : liste du contrat, création et modification, page de la
réunion (participants, ordre du jour), invitations par courriel, fichiers iCalendar
(une réunion, le contrat, le flux à jeton pour s'abonner depuis un agenda), décisions.

Droits : voir = voir le contrat (sinon 404) ; planifier, modifier, annuler, gérer les
participants, envoyer les invitations = pilote du contrat (403 sinon). Le flux à jeton
se lit sans session : le jeton opaque (`reunions.jetons`) désigne le contrat et la
personne, qui doit encore le voir (sinon 404) ; chacun gère ses adresses d'abonnement.
"""

from .abonnements import abonnement_create, abonnement_revoke, abonnements
from .agenda import contrat_ics, flux_ics, invitations_send, reunion_ics
from .participants import durees, participants, reunion_detail
from .reunions import decisions, reunion_create, reunion_edit, reunion_list

__all__ = [
    "abonnement_create",
    "abonnement_revoke",
    "abonnements",
    "contrat_ics",
    "decisions",
    "durees",
    "flux_ics",
    "invitations_send",
    "participants",
    "reunion_create",
    "reunion_detail",
    "reunion_edit",
    "reunion_ics",
    "reunion_list",
]

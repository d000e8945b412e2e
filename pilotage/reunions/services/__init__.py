"""Écritures des réunions de suivi : planification, ordre du jour, notes de séance,
décisions (et leur application à la fiche), circuit de validation du compte rendu.

Les décisions appliquées passent par `contrats.services.fiche_update` : la
modification entre dans l'historique de la fiche (source « Décision de réunion »)
et la révision produite est reliée à la décision.
"""

from .application import (  # noqa: F401
    APPLICATIONS,
    can_apply,
    changement_check,
    decision_apply,
)
from .compte_rendu import (  # noqa: F401
    compte_rendu_archive,
    compte_rendu_submit,
    compte_rendu_validate,
    institutions_validatrices,
    reunion_tenir,
)
from .planning import (  # noqa: F401
    INTERVALLE_MOIS,
    REUNION_FIELDS,
    Proposition,
    decisions_reportees,
    fiches_ordre_du_jour,
    invitations_send,
    participation_add,
    participation_remove,
    participation_set,
    points_durees_set,
    prochaine_reunion,
    rangs_set,
    reunion_agenda_set,
    reunion_cancel,
    reunion_create,
    reunion_update,
)
from .seance import (  # noqa: F401
    DECISION_FIELDS,
    can_take_notes,
    decision_close,
    decision_create,
    decision_delete,
    decision_reopen,
    decision_update,
    note_save,
    reunions_rangs,
    seance_verrou,
)

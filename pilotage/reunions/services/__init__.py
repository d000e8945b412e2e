"""Écritures des réunions de suivi : planification, ordre du jour, notes de séance,
décisions (et leur application à la fiche), circuit de validation du compte rendu.
Les lectures réutilisées sont dans `reunions.selectors`.

Les décisions appliquées passent par `contrats.services.fiche_update` : la
modification entre dans l'historique de la fiche (source « Décision de réunion »)
et la révision produite est reliée à la décision.
"""

from .application import (  # noqa: F401
    APPLICATIONS,
    changement_check,
    decision_apply,
)
from .compte_rendu import (  # noqa: F401
    compte_rendu_archive,
    compte_rendu_submit,
    compte_rendu_validate,
    reunion_tenir,
)
from .flux import (  # noqa: F401
    jeton_flux_authenticate,
    jeton_flux_create,
    jeton_flux_revoke,
)
from .planning import (  # noqa: F401
    REUNION_FIELDS,
    invitations_send,
    participation_add,
    participation_remove,
    participation_set,
    points_durees_set,
    reunion_agenda_set,
    reunion_cancel,
    reunion_create,
    reunion_update,
)
from .seance import (  # noqa: F401
    DECISION_FIELDS,
    decision_close,
    decision_create,
    decision_delete,
    decision_reopen,
    decision_update,
    note_save,
)

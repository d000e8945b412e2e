"""Journal des évènements de sécurité, une ligne JSON par évènement (logger
`pilotage.securite`) : échecs de connexion, blocages, rafales de 403 et de 404, échecs du
second facteur, connexions ProConnect refusées. Un outil de collecte (journald, SIEM) les
lit sans analyse de texte libre. Jamais de mot de passe ni de code dans les champs."""

import json
import logging

from django.utils import timezone

logger = logging.getLogger("pilotage.securite")

#: Longueur maximale d'un champ : une valeur fournie par un attaquant ne gonfle pas le journal.
MAX_FIELD = 200


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def security_event(event: str, *, request=None, level: int = logging.WARNING, **fields) -> None:
    """Écrit l'évènement `event` (identifiant court, ex. `connexion_echec`) avec l'adresse
    IP, le chemin et l'utilisateur de la requête, et les champs donnés."""
    record = {"evenement": event, "horodatage": timezone.now().isoformat()}
    if request is not None:
        user = getattr(request, "user", None)
        record["ip"] = _client_ip(request)
        record["chemin"] = request.path[:MAX_FIELD]
        if user is not None and user.is_authenticated:
            record["utilisateur"] = user.pk
    for key, value in fields.items():
        record[key] = value if isinstance(value, int | float | bool) else str(value)[:MAX_FIELD]
    logger.log(level, json.dumps(record, ensure_ascii=False, sort_keys=True))

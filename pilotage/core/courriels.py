"""Courriels envoyés en tâche de fond, après l'enregistrement qui les motive.

Les courriels de l'application (invitations aux contrats et aux réunions, rappels)
partent par `courriel_envoyer` (seul le lien « mot de passe oublié », envoyé par le
formulaire de Django, part encore pendant la requête) : le courriel est confié à la file des tâches quand la transaction en cours est validée
(`transaction.on_commit`), si bien qu'une écriture annulée n'envoie rien, et la requête
n'attend pas le serveur de courriel. Le travailleur (`manage.py db_worker`, réglage
TASKS_BACKEND=database) l'envoie ensuite ; un envoi impossible y reste comme tâche en
échec (administration, « Task Results »), avec l'erreur.

Avec TASKS_BACKEND=immediate (tests, installation sans travailleur), il n'y a pas de file :
le courriel part sur-le-champ, dans la transaction, et une erreur du serveur de courriel
remonte à l'appelant (qui peut tout annuler et le dire à l'utilisateur).

Suivi d'un envoi : un courriel dont l'expéditeur veut connaître le sort (une
invitation, que le pilote doit pouvoir renvoyer si elle n'est pas partie) porte
`tracking=(sorte, id, envoi)` ; l'application qui le demande enregistre, au démarrage, la
fonction qui inscrit le résultat (`tracking_register`), comme pour `core/exports.py` :
`core` ne connaît pas l'invitation. `envoi` distingue deux envois du même objet (un
renvoi) : le résultat d'un ancien envoi n'écrase pas celui du nouveau. Les champs du
sort sont ceux de `core.models.EmailTracking` (`email_queued`, `email_outcome`).

Autres tâches de fond : une fonction de module décorée par `@task()` (django_tasks), aux
arguments sérialisables en JSON (identifiants plutôt qu'objets), confiée à la file par
`transaction.on_commit(partial(ma_tache.enqueue, …))` depuis un service ; voir
`send_email_task` ci-dessous.
"""

import logging
from collections.abc import Callable, Sequence
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from .models import EMAIL_ERROR_MAX, EmailStatus

logger = logging.getLogger(__name__)

#: Une pièce jointe : (nom du fichier, contenu texte, type MIME).
Attachment = tuple[str, str, str]
#: Un envoi suivi : (sorte, identifiant de l'objet, identifiant de l'envoi).
Tracking = tuple[str, int, str]
#: Par sorte : la fonction `(identifiant, envoi, erreur)` qui inscrit le sort d'un envoi
#: (`erreur` vide : parti).
TRACKERS: dict[str, Callable[[int, str, str], None]] = {}


def tracking_register(sorte: str, fonction: Callable[[int, str, str], None]) -> None:
    TRACKERS[sorte] = fonction


def email_queued() -> dict[str, object]:
    """Les champs d'un `core.models.EmailTracking` pour un envoi qui vient d'être confié."""
    return {"email_status": EmailStatus.EN_FILE, "email_status_at": None, "email_error": ""}


def email_outcome(erreur: str) -> dict[str, object]:
    """Les champs d'un `EmailTracking` quand le sort de l'envoi est connu (erreur vide :
    parti)."""
    return {
        "email_status": EmailStatus.ECHEC if erreur else EmailStatus.ENVOYE,
        "email_status_at": timezone.now(),
        "email_error": erreur[:EMAIL_ERROR_MAX],
    }


def _track(message: dict, erreur: str) -> None:
    """Inscrit le sort de l'envoi, s'il est suivi ; une erreur de cette inscription est
    journalisée sans changer le sort du courriel."""
    tracking = message.get("tracking")  # `get` : tâches mises en file avant le suivi
    if not tracking or tracking[0] not in TRACKERS:
        return
    sorte, pk, envoi = tracking
    try:
        TRACKERS[sorte](pk, envoi, erreur)
    except Exception:
        logger.exception("Suivi de l'envoi %s %s impossible", sorte, pk)


@task()
def send_email_task(message: dict) -> int:
    """Envoie un courriel décrit par `courriel_envoyer` ; renvoie le nombre envoyé (0 ou 1)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
        reply_to=message["reply_to"] or None,
    )
    if message.get("html"):  # `get` : tâches mises en file avant l'ajout de la version HTML
        email.attach_alternative(message["html"], "text/html")
    for filename, content, mimetype in message["attachments"]:
        email.attach(filename, content, mimetype)
    try:
        sent = email.send()
    except Exception as exc:
        # Le sort est inscrit, puis l'erreur remonte : la tâche reste en échec (admin).
        _track(message, f"{type(exc).__name__} : {exc}"[:EMAIL_ERROR_MAX])
        raise
    _track(message, "")
    return sent


def _runs_in_process() -> bool:
    """Vrai si les tâches s'exécutent dans le processus qui les demande (pas de travailleur)."""
    return isinstance(task_backends[send_email_task.backend], ImmediateBackend)


def courriel_envoyer(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    reply_to: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    html: str = "",
    dans_la_transaction: bool = False,
    tracking: Tracking | None = None,
) -> None:
    """Envoie un courriel texte (expéditeur DEFAULT_FROM_EMAIL), avec sa version `html`
    s'il y en a une, une fois la transaction en cours validée, par le travailleur des
    tâches de fond ; rien si elle est annulée.

    `dans_la_transaction` : la tâche est écrite dans la file (en base) par la transaction
    en cours, avec ce qui motive le courriel : validée, les deux sont là ; interrompue,
    aucun des deux (les résumés des espaces suivis, qui ne doivent partir qu'une fois).
    `tracking` : le sort de l'envoi est inscrit par la fonction enregistrée pour sa sorte."""
    message = {
        "subject": subject,
        "body": body,
        "html": html,
        "to": list(to),
        "reply_to": list(reply_to),
        "attachments": [list(attachment) for attachment in attachments],
        "tracking": list(tracking) if tracking else None,
    }
    if _runs_in_process():
        # Sans file, la tâche tourne ici même et ses erreurs remontent (smtplib, OSError).
        send_email_task.call(message)
        return
    if dans_la_transaction:
        send_email_task.enqueue(message)
        return
    transaction.on_commit(partial(send_email_task.enqueue, message))

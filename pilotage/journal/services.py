"""Écritures du journal des accès."""

import datetime
import ipaddress

from django.utils import timezone

from .models import CHEMIN_MAX, OBJET_MAX, PERSONNE_MAX, Acces, AccesQuerySet

#: Lignes effacées par requête lors de la purge : la table n'est jamais verrouillée longtemps.
PURGE_BATCH = 1000


def _ip(request) -> str | None:
    value = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _personne(user) -> str:
    name = user.get_full_name()
    return (f"{name} ({user.email})" if name else user.email)[:PERSONNE_MAX]


def acces_record(*, user, contrat, nature: str, objet: str, request=None) -> Acces | None:
    """Inscrit au journal que `user` a consulté, téléchargé ou exporté `objet` du contrat.

    Une seule requête (INSERT), sans transaction de plus : une ligne s'écrit entière ou
    pas du tout. Rien n'est inscrit pour une personne non connectée. Appelée par la vue
    après le contrôle d'accès ; le nom, l'adresse et l'institution sont recopiés pour
    survivre à la suppression du compte."""
    if user is None or not user.is_authenticated:
        return None
    if nature not in Acces.Nature.values:
        raise ValueError(f"Nature d'accès inconnue : {nature!r}")
    return Acces.objects.create(
        user=user,
        personne=_personne(user),
        institution_id=user.institution_id,
        contrat=contrat,
        nature=nature,
        objet=objet if len(objet) <= OBJET_MAX else objet[: OBJET_MAX - 1] + "…",
        chemin=request.path[:CHEMIN_MAX] if request is not None else "",
        ip=_ip(request),
    )


def journal_purge(*, days: int, batch: int = PURGE_BATCH) -> int:
    """Efface les accès de plus de `days` jours, par lots de `batch` lignes (une
    transaction courte par lot) ; rend le nombre de lignes effacées. Sans effet la
    seconde fois : à lancer chaque jour."""
    if days < 1:
        raise ValueError("La durée de conservation est d'au moins un jour.")
    limit = timezone.now() - datetime.timedelta(days=days)
    old: AccesQuerySet = Acces.objects.anterieurs_a(limit)
    deleted = 0
    while True:
        ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        count, _ = Acces.objects.filter(pk__in=ids).delete()
        deleted += count

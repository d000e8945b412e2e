"""Aides communes aux tests des réunions : dates relatives et adresses."""

import datetime

from django.urls import reverse
from django.utils import timezone


def at(days: int, hour: int = 14) -> datetime.datetime:
    """Une date locale à `days` jours d'aujourd'hui, à `hour` heures."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def url(name, reunion, *args):
    """L'adresse `reunions:<name>` d'une réunion."""
    return reverse(f"reunions:{name}", args=[reunion.contrat_id, reunion.pk, *args])

"""iCalendar (RFC 5545) des réunions de suivi, produit avec la bibliothèque `icalendar`.

- `reunion_calendar` : une réunion, jointe aux invitations (METHOD:REQUEST, ou CANCEL
  quand elle est annulée) ou téléchargée depuis sa page (METHOD:PUBLISH).
- `contrat_calendar` : le flux des réunions non annulées d'un contrat, auquel un agenda
  s'abonne par une adresse à jeton opaque, révocable (`reunions.jetons`).

L'UID de la réunion est stable et sa SEQUENCE augmente à chaque changement de date ou
de lieu : un agenda met à jour l'événement existant au lieu d'en créer un second.
Les heures sont écrites en UTC, que tous les agendas savent lire sans fuseau joint.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Participation, Reunion

PRODID = "-//Pilotage partagé//Réunions de suivi//FR"

PARTSTAT = {
    Participation.Statut.INVITE: "NEEDS-ACTION",
    Participation.Statut.PRESENT: "ACCEPTED",
    Participation.Statut.EXCUSE: "DECLINED",
}


# --- Événements --------------------------------------------------------------------


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def organizer_of(reunion: Reunion, user=None) -> tuple[str, str]:
    """(courriel, nom) de l'organisateur : qui a planifié la réunion, sinon qui envoie,
    sinon l'adresse d'envoi du service."""
    for person in (reunion.created_by if reunion.created_by_id else None, user):
        if person is not None and person.email:
            return person.email, str(person)
    return settings.DEFAULT_FROM_EMAIL, "Pilotage partagé"


def summary_of(reunion: Reunion) -> str:
    """« Comité de suivi – Creuse (2026 – réunion 2) »."""
    return f"{reunion.get_type_display()} – {reunion.contrat.departement.nom} ({reunion.titre})"


def description_of(reunion: Reunion, url: str = "", fiches=()) -> str:
    lines = [
        f"{reunion.get_type_display()} du contrat de prévention et de protection de "
        f"l'enfance {reunion.contrat.generation.code} – {reunion.contrat.departement.nom}.",
    ]
    if fiches:
        lines.append("Fiches à l'ordre du jour : " + ", ".join(f"n°{n}" for n in fiches) + ".")
    if reunion.lien_visio:
        lines.append(f"Visioconférence : {reunion.lien_visio}")
    if url:
        lines.append(f"Page de la réunion (dossier de préparation, compte rendu) : {url}")
    return "\n".join(lines)


def reunion_event(
    reunion: Reunion,
    *,
    url: str = "",
    participations=None,
    organizer: tuple[str, str] | None = None,
    fiches=(),
) -> Event:
    """L'événement d'une réunion. `participations` : les personnes à inscrire en ATTENDEE
    (aucune dans un flux public) ; `fiches` : numéros des fiches à l'ordre du jour."""
    event = Event()
    event.add("uid", reunion.uid)
    event.add("sequence", reunion.sequence)
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(reunion.date))
    event.add("dtend", _utc(reunion.fin))
    event.add("summary", summary_of(reunion))
    location = reunion.lieu or ("Visioconférence" if reunion.lien_visio else "")
    if location:
        event.add("location", location)
    link = url or reunion.lien_visio
    if link:
        event.add("url", link)
    event.add("description", description_of(reunion, url, fiches))
    cancelled = reunion.statut == Reunion.Statut.ANNULEE
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer:
        event.add("organizer", _address(*organizer))
    for participation in participations or ():
        email = participation.adresse
        if not email:
            continue
        attendee = _address(email, participation.libelle)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText(PARTSTAT.get(participation.statut, "NEEDS-ACTION"))
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    return event


def _calendar(method: str, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def reunion_calendar(
    reunion: Reunion,
    *,
    method: str = "PUBLISH",
    url: str = "",
    participations=None,
    organizer: tuple[str, str] | None = None,
    fiches=(),
) -> bytes:
    """Le fichier .ics d'une réunion (invitation : method « REQUEST » ou « CANCEL »)."""
    cal = _calendar(method)
    cal.add_component(
        reunion_event(
            reunion, url=url, participations=participations, organizer=organizer, fiches=fiches
        )
    )
    return cal.to_ical()


def contrat_calendar(contrat, reunions, *, url_of=None) -> bytes:
    """Le flux des réunions d'un contrat (sans participants : l'adresse du flux se partage
    sans session). `url_of(reunion)` donne l'adresse absolue de la page de chaque réunion."""
    cal = _calendar("PUBLISH", f"Réunions de suivi – {contrat.departement.nom}")
    for reunion in reunions:
        reunion.contrat = contrat
        cal.add_component(
            reunion_event(
                reunion, url=url_of(reunion) if url_of else "", organizer=organizer_of(reunion)
            )
        )
    return cal.to_ical()
